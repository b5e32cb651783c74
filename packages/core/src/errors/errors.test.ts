import { KinesisToolkitError, isToolkitError } from './KinesisToolkitError';
import { InvalidArgumentError } from './InvalidArgumentError';
import { DeadlineExceededError } from './DeadlineExceededError';
import { AbortedError } from './AbortedError';

class StreamGoneError extends KinesisToolkitError {
  constructor() {
    super('STREAM_GONE', 'gone', { context: { streamName: 's' } });
  }
}
class OtherError extends KinesisToolkitError {}

describe('the kinesis-toolkit error family', () => {
  it('carries code, retryable, cause and context, and names itself after its class', () => {
    const cause = new Error('under');
    const error = new KinesisToolkitError('X', 'message', { retryable: true, cause, context: { shardId: 's-1' } });
    expect(error).toMatchObject({ name: 'KinesisToolkitError', code: 'X', retryable: true, cause, context: { shardId: 's-1' } });
    expect(new StreamGoneError().name).toBe('StreamGoneError');
    expect(new StreamGoneError().retryable).toBe(false);
  });

  it('counts InvalidArgumentError (a TypeError) as a member, while subclasses keep their own instanceof', () => {
    const bad = new InvalidArgumentError('recordTtlMs', 'an integer >= 100', -1);
    expect(bad).toBeInstanceOf(TypeError);
    expect(bad).toBeInstanceOf(KinesisToolkitError);
    expect(isToolkitError(bad)).toBe(true);
    expect(bad).toMatchObject({ code: 'INVALID_ARGUMENT', retryable: false, argument: 'recordTtlMs', context: { argument: 'recordTtlMs' } });
    expect(bad.message).toBe('recordTtlMs: expected an integer >= 100, got -1');
    expect(new StreamGoneError()).not.toBeInstanceOf(OtherError);
    expect(bad).not.toBeInstanceOf(StreamGoneError);
    expect(new Error('plain')).not.toBeInstanceOf(KinesisToolkitError);
    expect(new TypeError('plain')).not.toBeInstanceOf(KinesisToolkitError);
  });

  it('recognises members made by another copy of the package (same brand)', () => {
    const foreign = Object.assign(new Error('from elsewhere'), { code: 'X', retryable: false, context: {} });
    Object.defineProperty(foreign, Symbol.for('@kinesis-toolkit/error'), { value: true });
    expect(foreign).toBeInstanceOf(KinesisToolkitError);
  });

  it('has retryable deadlines and non-retryable aborts', () => {
    expect(new DeadlineExceededError('PutRecords', 6_000)).toMatchObject({ code: 'DEADLINE_EXCEEDED', retryable: true, timeoutMs: 6_000 });
    expect(new AbortedError()).toMatchObject({ code: 'ABORTED', retryable: false });
  });
});
