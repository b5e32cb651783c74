import { KinesisToolkitError } from '@kinesis-toolkit/core';
import { ServerStartError } from './ServerStartError';
import { TestingError } from './TestingError';
import { WaitTimeoutError } from './WaitTimeoutError';

describe('the testing errors are members of the kinesis-toolkit error family', () => {
  it.each([
    [new TestingError('NO_TEST_STACK', 'no stack'), 'TestingError', 'NO_TEST_STACK', false],
    [new ServerStartError('s3rver', 'EADDRINUSE', { output: 'tail' }), 'ServerStartError', 'SERVER_START_FAILED', true],
    [new WaitTimeoutError('the stream', 500, 6), 'WaitTimeoutError', 'WAIT_TIMEOUT', false],
  ])('%s', (error, name, code, retryable) => {
    expect(error).toBeInstanceOf(KinesisToolkitError);
    expect(error).toBeInstanceOf(TestingError);
    expect(error).toMatchObject({ name, code, retryable });
  });

  it('carries the server in its context', () => {
    expect(new ServerStartError('kinesis-mock', 'exited', { context: { endpoint: 'http://x' } }).context).toEqual({ endpoint: 'http://x', server: 'kinesis-mock' });
  });
});
