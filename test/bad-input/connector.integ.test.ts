/**
 * Emitters against the local stack when their target is wrong: a bucket or a table that does not
 * exist. emit() must settle within a bound with a typed, non-retryable error naming the bucket or
 * table — retrying cannot create them, so a pipeline must not retry it forever.
 *
 * @jest-environment ./test/bad-input/support/trackingEnvironment.js
 */
import { DynamoDBEmitter, S3Emitter, type EmitBatch } from '@kinesis-toolkit/connector';
import { getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { expectTypedError, failOnUnhandledRejections } from './support/badInput';

failOnUnhandledRejections();

const BOUND_MS = 10_000;

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack({ maxAttempts: 1 });
});
afterAll(() => stack.destroy());

function batchOf<U>(items: readonly U[]): EmitBatch<U> {
  const position = { sequenceNumber: '49590338271490256608559692538361571095921575989136588898', subSequenceNumber: 0 };
  return {
    streamName: 'orders',
    shardId: 'shardId-000000000000',
    batchId: 'batch-1',
    items,
    sources: items.map(() => ({ ...position, partitionKey: 'k', data: Buffer.from('{}') })),
    first: position,
    last: position,
    attempt: 1,
  };
}

it('S3Emitter.emit() into a bucket that does not exist rejects, not retryable, naming the bucket', async () => {
  const bucket = uniqueName('missing-bucket');
  const emitter = new S3Emitter({ client: stack.s3.client, bucket });
  await expectTypedError(() => emitter.emit(batchOf([Buffer.from('{"a":1}')])), bucket, BOUND_MS);
});

it('DynamoDBEmitter.emit() into a table that does not exist rejects, not retryable, naming the table', async () => {
  const tableName = uniqueName('missing-table');
  const emitter = new DynamoDBEmitter({ client: stack.dynamodb.client, tableName });
  await expectTypedError(() => emitter.emit(batchOf([{ id: 'a' }])), tableName, BOUND_MS);
});
