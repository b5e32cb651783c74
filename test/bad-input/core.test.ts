/**
 * Bad input to @kinesis-toolkit/core's public functions: each gets an error of the
 * KinesisToolkitError family naming the field, at once, with no unhandled rejection.
 *
 * @jest-environment ./test/bad-input/support/trackingEnvironment.js
 */
import {
  callAws,
  classifyAwsError,
  compareSequenceNumbers,
  createLogger,
  listAllShards,
  ManualClock,
  parseHashKey,
  requireSequenceNumber,
  RetryPolicy,
  ShardLineage,
  sleep,
  TokenBucket,
  withDeadline,
} from '@kinesis-toolkit/core';
import { expectTypedError, failOnUnhandledRejections, outcomeOf } from './support/badInput';

failOnUnhandledRejections();

class ListStreamsCommand {
  constructor(readonly input: object) {}
}
const client = { send: async () => ({}) };
const clock = new ManualClock();

describe('core: RetryPolicy', () => {
  it.each([
    ['baseDelayMs NaN', () => new RetryPolicy({ baseDelayMs: Number.NaN }), 'baseDelayMs'],
    ['maxDelayMs below baseDelayMs', () => new RetryPolicy({ baseDelayMs: 500, maxDelayMs: 100 }), 'maxDelayMs'],
    ['maxAttempts 0', () => new RetryPolicy({ maxAttempts: 0 }), 'maxAttempts'],
    ['maxAttempts 2.5', () => new RetryPolicy({ maxAttempts: 2.5 }), 'maxAttempts'],
    ['an unknown option (baseDelay), with a suggestion', () => new RetryPolicy({ baseDelay: 5 } as never), 'baseDelayMs'],
    ['options that are a string', () => new RetryPolicy('fast' as never), 'retry'],
    ['random: 5', () => new RetryPolicy({}, { random: 5 as never }), 'random'],
    ['clock: {}', () => new RetryPolicy({}, { clock: {} as never }), 'clock'],
  ])('%s', async (_, run, field) => {
    await expectTypedError(run, field);
  });
});

describe('core: callAws, withDeadline, sleep', () => {
  it.each([
    ['callAws with client {}', () => callAws({} as never, new ListStreamsCommand({}), { service: 'Kinesis', timeoutMs: 100 }), 'client'],
    ['callAws with timeoutMs -1', () => callAws(client, new ListStreamsCommand({}), { service: 'Kinesis', timeoutMs: -1 }), 'timeoutMs'],
    ['callAws with timeoutMs NaN', () => callAws(client, new ListStreamsCommand({}), { service: 'Kinesis', timeoutMs: Number.NaN }), 'timeoutMs'],
    ['callAws with retry: {} (not a RetryPolicy)', () => callAws(client, new ListStreamsCommand({}), { service: 'Kinesis', timeoutMs: 100, retry: {} as never }), 'retry'],
    ['callAws with a command that is not an object', () => callAws(client, 'ListStreams' as never, { service: 'Kinesis', timeoutMs: 100 }), 'command'],
    ['withDeadline with timeoutMs NaN', () => withDeadline('op', Number.NaN, async () => 1), 'timeoutMs'],
    ['withDeadline with a call that is not a function', () => withDeadline('op', 100, 'call' as never), 'call'],
    ['sleep(NaN)', () => sleep(Number.NaN, { clock }), 'delayMs'],
    ['sleep with signal: "stop"', () => sleep(10, { clock, signal: 'stop' as never }), 'signal'],
  ])('%s', async (_, run, field) => {
    await expectTypedError(run, field);
  });
});

describe('core: logger, hash keys, sequence numbers, shards, rate', () => {
  it.each([
    ['createLogger level "loud"', () => createLogger({ level: 'loud' as never }), 'level'],
    ['createLogger format "xml"', () => createLogger({ format: 'xml' as never }), 'format'],
    ['createLogger write: 5', () => createLogger({ write: 5 as never }), 'write'],
    ["parseHashKey '0123' (not canonical: Kinesis rejects it)", () => parseHashKey('explicitHashKey', '0123'), 'explicitHashKey'],
    ['parseHashKey zero-padded to 50 digits', () => parseHashKey('explicitHashKey', '1'.padStart(50, '0')), 'explicitHashKey'],
    ['parseHashKey 2^128', () => parseHashKey('explicitHashKey', (2n ** 128n).toString()), 'explicitHashKey'],
    ['parseHashKey 42 (a number)', () => parseHashKey('explicitHashKey', 42), 'explicitHashKey'],
    ["requireSequenceNumber 'abc'", () => requireSequenceNumber('sequenceNumber', 'abc'), 'sequenceNumber'],
    ["compareSequenceNumbers('abc', '1')", () => compareSequenceNumbers('abc', '1'), 'abc'],
    ['listAllShards with a fetchPage that is not a function', () => listAllShards('ListShards' as never, { streamName: 's' }), 'fetchPage'],
    ['ShardLineage of a shard list that is not an array', () => new ShardLineage(5 as never), 'shards'],
    ['TokenBucket with rate NaN', () => new TokenBucket(Number.NaN, clock), 'ratePerSecond'],
    ['TokenBucket with clock {}', () => new TokenBucket(10, {} as never), 'clock'],
    ['ManualClock starting at NaN', () => new ManualClock(Number.NaN), 'startMs'],
  ])('%s', async (_, run, field) => {
    await expectTypedError(run, field);
  });

  it.each([undefined, null, 42, 'ECONNRESET', {}, [], Symbol('x'), Object.create(null)])('classifyAwsError(%p) never throws and says what to do', async (value) => {
    const outcome = await outcomeOf(() => classifyAwsError(value));
    expect(outcome.kind).toBe('returned');
    expect(outcome).toMatchObject({ value: { kind: expect.stringMatching(/^(throttled|transient|expiredCredentials|fatal)$/) } });
  });
});
