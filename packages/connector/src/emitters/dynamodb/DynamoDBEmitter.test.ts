import type { BatchWriteItemCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AwsRequestError, InvalidArgumentError, ManualClock } from '@kinesis-toolkit/core';
import { makeBatch } from '../../../test/emitters/makeBatch';
import { DynamoDBEmitter } from './DynamoDBEmitter';

type Reply = (input: BatchWriteItemCommandInput) => unknown;

/** A stand-in client (no server: the unit suite starts none) that answers each BatchWriteItem with the next reply. */
function fakeClient(clock: ManualClock, replies: Reply[]): { client: DynamoDBClient; sentAt: number[] } {
  const sentAt: number[] = [];
  const client = {
    send: async (command: { input: BatchWriteItemCommandInput }) => {
      sentAt.push(clock.now());
      const reply = replies.shift() ?? (() => ({}));
      return reply(command.input);
    },
  } as unknown as DynamoDBClient;
  return { client, sentAt };
}

const throttled = (): never => {
  throw Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
};
const unprocessAll = (input: BatchWriteItemCommandInput) => ({ UnprocessedItems: input.RequestItems });
const never = (): Promise<never> => new Promise(() => undefined);

describe('DynamoDBEmitter makes one attempt per emit (fake client, manual clock)', () => {
  it('returns UnprocessedItems as failed without retrying them itself: the pipeline owns the retry budget', async () => {
    const clock = new ManualClock();
    const { client, sentAt } = fakeClient(clock, [unprocessAll]);
    const items = [{ id: 'a' }, { id: 'b' }];
    const emitter = new DynamoDBEmitter({ client, tableName: 'table', keyAttributes: ['id'], clock });

    await expect(emitter.emit(makeBatch(items))).resolves.toEqual({ failed: items });
    expect(sentAt).toEqual([0]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('throws a retryable DynamoDBWriteFailed (cause: AwsRequestError) on throttling, after one request', async () => {
    const clock = new ManualClock();
    const { client, sentAt } = fakeClient(clock, [throttled]);
    const emitter = new DynamoDBEmitter({ client, tableName: 'table', keyAttributes: ['id'], clock });
    const error = await emitter.emit(makeBatch([{ id: 'a' }])).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DynamoDBWriteFailed', retryable: true });
    expect((error as Error).cause).toBeInstanceOf(AwsRequestError);
    expect((error as Error).cause).toMatchObject({ code: 'ProvisionedThroughputExceededException', kind: 'throttled', attempts: 1 });
    expect(sentAt).toEqual([0]);
  });

  it('abandons a request that is never answered after requestTimeoutMs (retryable DEADLINE_EXCEEDED)', async () => {
    const clock = new ManualClock();
    const { client } = fakeClient(clock, [never]);
    const emitter = new DynamoDBEmitter({ client, tableName: 'table', keyAttributes: ['id'], clock, requestTimeoutMs: 2_000 });
    const result = emitter.emit(makeBatch([{ id: 'a' }])).catch((caught: unknown) => caught);
    await clock.advance(1_999);
    let settled = false;
    void result.then(() => (settled = true));
    await clock.advance(0);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await result).toMatchObject({ code: 'DynamoDBWriteFailed', retryable: true, cause: { code: 'DEADLINE_EXCEEDED' } });
  });

  it('leaves the requests after a failed one to the retry, once something was written', async () => {
    const clock = new ManualClock();
    const { client, sentAt } = fakeClient(clock, [() => ({}), throttled]);
    const items = Array.from({ length: 60 }, (_, i) => ({ id: `k${i}` }));
    const result = await new DynamoDBEmitter({ client, tableName: 'table', keyAttributes: ['id'], clock }).emit(makeBatch(items));
    expect(sentAt).toHaveLength(2);
    expect(result.failed).toEqual(items.slice(25));
  });

  it('rejects bad options with an InvalidArgumentError naming the option', () => {
    const { client } = fakeClient(new ManualClock(), []);
    expect(() => new DynamoDBEmitter({ client })).toThrow(InvalidArgumentError);
    expect(() => new DynamoDBEmitter({ client })).toThrow(/tableName: expected a DynamoDB table name .*, got undefined/);
    expect(() => new DynamoDBEmitter({ client, tableName: 'table', keyAttributes: [] })).toThrow(/keyAttributes: expected the partition key name/);
    expect(() => new DynamoDBEmitter({ client, tableName: 'table', requestTimeoutMs: 0 })).toThrow('requestTimeoutMs: expected an integer in [1, 2147483647], got 0');
    expect(() => new DynamoDBEmitter({ client, tableName: 'table', maxAttempts: 8 } as never)).toThrow(/maxAttempts: expected no such option/);
    expect(() => new DynamoDBEmitter({ client: {} as DynamoDBClient, tableName: 'table' })).toThrow(/client: expected a DynamoDBClient/);
  });
});
