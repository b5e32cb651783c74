import type { _Record } from '@aws-sdk/client-kinesis';
import { ManualClock, MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { Worker } from '../src/Worker';
import type { WorkerOptions } from '../src/config/WorkerOptions';
import { InMemoryLeaseStore } from '../src/leases/InMemoryLeaseStore';
import { FakeKinesis, RecordingLogger } from './FakeKinesis';

// A stream of scripted shards behind a FakeKinesis, for unit tests of a whole Worker (no server:
// nothing here claims AWS behaviour beyond the shape of the answers the worker reads). Records
// get increasing sequence numbers; GetRecords pages through them `Limit` at a time; a closed shard
// answers its last page without a NextShardIterator.

interface ScriptedShard {
  readonly records: _Record[];
  closed: boolean;
}

/** A scripted stream, and a worker on it with an in-memory lease table and a manual clock. */
export class ScriptedStream {
  readonly kinesis = new FakeKinesis();
  readonly store = new InMemoryLeaseStore();
  readonly clock = new ManualClock();
  readonly logger = new RecordingLogger();
  readonly #shards = new Map<string, ScriptedShard>();
  #sequence = 1000;

  constructor(shardIds: readonly string[]) {
    for (const shardId of shardIds) this.#shards.set(shardId, { records: [], closed: false });
    const maxHashKey = MAX_HASH_KEY.toString();
    this.kinesis
      .on('DescribeStreamSummary', () => ({ StreamDescriptionSummary: { StreamName: 'stream', StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/stream', StreamStatus: 'ACTIVE' } }))
      // One shard owns the whole hash range; with several, ranges do not matter to these tests (plain records).
      .on('ListShards', () => ({
        Shards: [...this.#shards.entries()].map(([ShardId, shard]) => ({
          ShardId,
          HashKeyRange: { StartingHashKey: '0', EndingHashKey: maxHashKey },
          SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: shard.closed ? String(this.#sequence) : undefined },
        })),
      }))
      .on('GetShardIterator', (input) => {
        const shard = this.#shard(input.ShardId as string);
        const at = (sequenceNumber: unknown) => shard.records.findIndex((record) => record.SequenceNumber === sequenceNumber);
        const type = input.ShardIteratorType as string;
        const index =
          type === 'TRIM_HORIZON' ? 0 : type === 'LATEST' ? shard.records.length : type === 'AT_SEQUENCE_NUMBER' ? at(input.StartingSequenceNumber) : at(input.StartingSequenceNumber) + 1;
        return { ShardIterator: `${input.ShardId as string}|${index}` };
      })
      .on('GetRecords', (input) => {
        const [shardId, position] = (input.ShardIterator as string).split('|') as [string, string];
        const shard = this.#shard(shardId);
        const from = Number(position);
        const records = shard.records.slice(from, from + (input.Limit as number));
        const next = from + records.length;
        const ended = shard.closed && next >= shard.records.length;
        return { Records: records, NextShardIterator: ended ? undefined : `${shardId}|${next}`, MillisBehindLatest: next < shard.records.length ? 1000 : 0 };
      });
  }

  /** Appends plain records (`data` each) to a shard; returns their sequence numbers. */
  put(shardId: string, ...data: string[]): string[] {
    const shard = this.#shard(shardId);
    return data.map((text) => {
      const SequenceNumber = String(++this.#sequence);
      shard.records.push({ SequenceNumber, Data: Buffer.from(text), PartitionKey: `key-${text}`, ApproximateArrivalTimestamp: new Date(0) });
      return SequenceNumber;
    });
  }

  /** Closes a shard (as a split or merge does): its last page ends it. */
  close(shardId: string): void {
    this.#shard(shardId).closed = true;
  }

  /** GetRecords calls so far for a shard. */
  getRecordsCalls(shardId: string): number {
    return this.kinesis.callsOf('GetRecords').filter((call) => (call.input.ShardIterator as string).startsWith(`${shardId}|`)).length;
  }

  /** A worker on this stream (TRIM_HORIZON, 30 s failover, 1 s idle reads, no jitter surprises). */
  worker(options: Partial<WorkerOptions> = {}): Worker {
    return new Worker(
      {
        streamName: 'stream',
        applicationName: 'app',
        workerId: 'w1',
        kinesisClient: this.kinesis.client,
        clock: this.clock,
        logger: this.logger,
        random: () => 0.5,
        initialPosition: 'TRIM_HORIZON',
        failoverTimeMs: 30_000,
        idleTimeBetweenReadsMs: 1_000,
        parentShardPollIntervalMs: 1_000,
        shardSyncIntervalMs: 600_000,
        ...options,
      },
      { leaseStore: this.store },
    );
  }

  /** Advances the clock in 100 ms steps until `condition` holds; throws if it does not within `maxMs`. */
  async until(condition: () => boolean | Promise<boolean>, what: string, maxMs = 120_000): Promise<void> {
    for (let waited = 0; waited <= maxMs; waited += 100) {
      if (await condition()) return;
      await this.clock.advance(100);
    }
    throw new Error(`not reached within ${maxMs} ms of the manual clock: ${what}`);
  }

  /** The checkpoint in the lease table. */
  async checkpointOf(shardId: string): Promise<string | undefined> {
    const lease = await this.store.getLease(shardId);
    return lease === undefined ? undefined : `${lease.checkpoint.sequenceNumber}/${lease.checkpoint.subSequenceNumber}`;
  }

  #shard(shardId: string): ScriptedShard {
    const shard = this.#shards.get(shardId);
    if (shard === undefined) throw new Error(`ScriptedStream: no shard ${shardId}`);
    return shard;
  }
}
