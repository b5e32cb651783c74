import { BatchQueue } from './BatchQueue';
import type { FetchedBatch } from './PollingFetcher';

const batch = (id: string): FetchedBatch => ({ records: [{ SequenceNumber: id, Data: new Uint8Array(0), PartitionKey: 'k' }], millisBehindLatest: 0, shardEnded: false, childShards: undefined });
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('BatchQueue', () => {
  it('hands batches over in order, to a waiting taker or from the queue', async () => {
    const queue = new BatchQueue(2);
    const waiting = queue.next();
    queue.push(batch('1'));
    queue.push(batch('2'));
    expect((await waiting)?.records[0]?.SequenceNumber).toBe('1');
    expect((await queue.next())?.records[0]?.SequenceNumber).toBe('2');
  });

  it('makes the fetcher wait while capacity batches are waiting', async () => {
    const queue = new BatchQueue(2);
    queue.push(batch('1'));
    queue.push(batch('2'));
    let roomy = false;
    void queue.waitForRoom().then(() => (roomy = true));
    await tick();
    expect(roomy).toBe(false);
    await queue.next();
    await tick();
    expect(roomy).toBe(true);
  });

  it('drains what is left after close(), then gives undefined; close(true) drops it', async () => {
    const queue = new BatchQueue(5);
    queue.push(batch('last'));
    queue.close();
    expect((await queue.next())?.records[0]?.SequenceNumber).toBe('last');
    expect(await queue.next()).toBeUndefined();

    const stopped = new BatchQueue(5);
    stopped.push(batch('dropped'));
    stopped.close(true);
    expect(await stopped.next()).toBeUndefined();
  });

  it('wakes a waiting taker with undefined on close', async () => {
    const queue = new BatchQueue(1);
    const waiting = queue.next();
    queue.close();
    expect(await waiting).toBeUndefined();
  });
});

describe('BatchQueue.fail', () => {
  it('hands out what is queued, then rejects every taker with the error', async () => {
    const queue = new BatchQueue(5);
    queue.push(batch('kept'));
    const error = new Error('AccessDeniedException');
    queue.fail(error);
    expect((await queue.next())?.records[0]?.SequenceNumber).toBe('kept');
    await expect(queue.next()).rejects.toBe(error);
    await expect(queue.next()).rejects.toBe(error);
  });

  it('rejects a taker that is already waiting', async () => {
    const queue = new BatchQueue(1);
    const waiting = queue.next();
    const error = new Error('ResourceNotFoundException');
    queue.fail(error);
    await expect(waiting).rejects.toBe(error);
    expect(queue.closed).toBe(true);
  });
});
