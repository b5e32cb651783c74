import type { BatchWriteItemCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '@kinesis-toolkit/testing';
import { makeBatch } from '../../../test/emitters/makeBatch';
import { DynamoDBEmitter } from './DynamoDBEmitter';

type Reply = (input: BatchWriteItemCommandInput) => unknown;

/** A stand-in client that answers each BatchWriteItem with the next reply and records when it was called. */
function fakeClient(clock: ManualClock, replies: Reply[]): { client: DynamoDBClient; sentAt: number[]; sizes: number[] } {
  const sentAt: number[] = [];
  const sizes: number[] = [];
  const client = {
    send: async (command: { input: BatchWriteItemCommandInput }) => {
      sentAt.push(clock.now());
      sizes.push(Object.values(command.input.RequestItems ?? {})[0]!.length);
      const reply = replies.shift() ?? (() => ({}));
      return reply(command.input);
    },
  } as unknown as DynamoDBClient;
  return { client, sentAt, sizes };
}

const throttled = (): never => {
  throw Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
};
const unprocessAll = (input: BatchWriteItemCommandInput) => ({ UnprocessedItems: input.RequestItems });

describe('DynamoDBEmitter backoff (fake client, manual clock)', () => {
  it('waits full-jitter exponential backoff between tries, on the injected clock', async () => {
    const clock = new ManualClock();
    const { client, sentAt } = fakeClient(clock, [unprocessAll, throttled, unprocessAll]);
    const emitter = new DynamoDBEmitter({ client, tableName: 't', keyAttributes: ['id'], clock, random: () => 0.5, baseDelayMs: 100, maxDelayMs: 250 });

    const result = emitter.emit(makeBatch([{ id: 'a' }, { id: 'b' }]));
    await clock.advance(1_000);

    await expect(result).resolves.toEqual({ failed: [] });
    // Waits of 0.5 × min(250, 100 × 2^(n−1)): 50, 100, 125.
    expect(sentAt).toEqual([0, 50, 150, 275]);
  });

  it('gives up after maxAttempts tries and returns the unwritten items', async () => {
    const clock = new ManualClock();
    const { client, sentAt } = fakeClient(clock, [unprocessAll, unprocessAll, unprocessAll, unprocessAll]);
    const items = [{ id: 'a' }, { id: 'b' }];
    const emitter = new DynamoDBEmitter({ client, tableName: 't', keyAttributes: ['id'], clock, random: () => 0.999, baseDelayMs: 10, maxAttempts: 3 });

    const result = emitter.emit(makeBatch(items));
    await clock.advance(10_000);

    expect((await result).failed).toEqual(items);
    expect(sentAt).toHaveLength(3);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not retry before the clock says so', async () => {
    const clock = new ManualClock();
    const { client, sentAt } = fakeClient(clock, [throttled]);
    const emitter = new DynamoDBEmitter({ client, tableName: 't', keyAttributes: ['id'], clock, random: () => 0.5, baseDelayMs: 100 });
    const result = emitter.emit(makeBatch([{ id: 'a' }]));
    await clock.advance(49);
    expect(sentAt).toEqual([0]);
    await clock.advance(1);
    await expect(result).resolves.toEqual({ failed: [] });
    expect(sentAt).toEqual([0, 50]);
  });

  it('rejects bad options with a TypeError', () => {
    const { client } = fakeClient(new ManualClock(), []);
    expect(() => new DynamoDBEmitter({ client })).toThrow('tableName: expected a non-empty string, got undefined');
    expect(() => new DynamoDBEmitter({ client, tableName: 't', keyAttributes: [] })).toThrow(/keyAttributes: expected the partition key name/);
    expect(() => new DynamoDBEmitter({ client, tableName: 't', maxAttempts: 0 })).toThrow('maxAttempts: expected an integer ≥ 1, got 0');
    expect(() => new DynamoDBEmitter({ client, tableName: 't', baseDelayMs: 100, maxDelayMs: 10 })).toThrow(/maxDelayMs: expected an integer ≥ 100/);
  });
});
