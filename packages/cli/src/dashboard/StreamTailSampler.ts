import { GetRecordsCommand, GetShardIteratorCommand, type GetShardIteratorCommandInput, type _Record } from '@aws-sdk/client-kinesis';
import { deaggregate } from '@kinesis-toolkit/aggregation';
import { awsErrorCodeOf, type AwsClientLike, type Clock } from '@kinesis-toolkit/core';
import { awsCall } from '../awsCall';
import type { StreamShard } from './listStreamShards';
import type { ThroughputCoverage, ThroughputObservation, ThroughputSample, ThroughputSource } from './ThroughputSource';

/** Options of a {@link StreamTailSampler}. */
export interface StreamTailSamplerOptions {
  readonly streamName: string;
  readonly clock: Clock;
}

/** GetRecords `Limit`: the API's maximum, so one call per interval keeps up with a full shard. */
const RECORDS_PER_CALL = 10_000;
/** Shards read at a time. */
const CONCURRENCY = 4;

interface TailState {
  iterator: string | undefined;
  /** Where a new iterator starts when the current one is lost. */
  start: Pick<GetShardIteratorCommandInput, 'ShardIteratorType' | 'StartingSequenceNumber'>;
  /** From when this shard's counts are complete. */
  readonly coveredFromMs: number;
  ended: boolean;
}

/**
 * A {@link ThroughputSource} that reads the tip of every shard itself: one GetRecords per shard
 * per sample (plus a GetShardIterator when it starts or its iterator is lost), counting each
 * record by its `ApproximateArrivalTimestamp`. Shards open at the first sample are read from
 * LATEST; shards that appear later (split and merge children) from TRIM_HORIZON, so their first
 * records count too. A shard that ends (its iterator runs out) is no longer read.
 *
 * Cost: it reads every byte written to the stream, like one more polling consumer — it shares
 * each shard's read limit (5 GetRecords/s, 2 MiB/s) with the application's own readers.
 */
export class StreamTailSampler implements ThroughputSource {
  readonly measures = 'incoming' as const;
  readonly description = 'records arriving in each shard (the dashboard reads each shard\u2019s tip: GetRecords)';
  readonly #client: AwsClientLike;
  readonly #options: StreamTailSamplerOptions;
  readonly #tails = new Map<string, TailState>();
  #startedAtMs: number | undefined;

  constructor(client: AwsClientLike, options: StreamTailSamplerOptions) {
    this.#client = client;
    this.#options = options;
  }

  async sample(shards: readonly StreamShard[], signal: AbortSignal): Promise<ThroughputSample> {
    const now = this.#options.clock.now();
    const first = this.#startedAtMs === undefined;
    this.#startedAtMs ??= now;
    for (const shard of shards) {
      if (this.#tails.has(shard.shardId)) continue;
      // At the start, closed shards take no more writes and open ones are read from now on; a shard
      // listed later is new since the start, so all of it is counted.
      if (first && !shard.open) this.#tails.set(shard.shardId, { iterator: undefined, start: { ShardIteratorType: 'LATEST' }, coveredFromMs: now, ended: true });
      else this.#tails.set(shard.shardId, { iterator: undefined, start: { ShardIteratorType: first ? 'LATEST' : 'TRIM_HORIZON' }, coveredFromMs: this.#startedAtMs, ended: false });
    }
    const listed = new Set(shards.map((shard) => shard.shardId));
    for (const shardId of this.#tails.keys()) if (!listed.has(shardId)) this.#tails.delete(shardId);

    const observations: ThroughputObservation[] = [];
    const coverage: ThroughputCoverage[] = [];
    const problems: string[] = [];
    const queue = [...this.#tails.entries()].filter(([, tail]) => !tail.ended);
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined && !signal.aborted; next = queue.shift()) {
        const [shardId, tail] = next;
        for (let attempt = 1; attempt <= 2; attempt += 1) {
          try {
            const span = await this.#read(shardId, tail, observations, signal);
            if (span !== undefined) coverage.push(span);
            break;
          } catch (error) {
            if (signal.aborted) return;
            const code = awsErrorCodeOf(error);
            // An iterator expires after 5 minutes unused: start again after the last record counted.
            if (code === 'ExpiredIteratorException' && attempt === 1) {
              tail.iterator = undefined;
              continue;
            }
            if (code === 'ResourceNotFoundException') tail.ended = true;
            problems.push(`throughput of ${shardId}: ${(error as Error).message}`);
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
    return { observations, coverage, problems };
  }

  async #read(shardId: string, tail: TailState, observations: ThroughputObservation[], signal: AbortSignal): Promise<ThroughputCoverage | undefined> {
    const { streamName, clock } = this.#options;
    if (tail.iterator === undefined) {
      const { ShardIterator } = await awsCall(this.#client, new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ...tail.start }), 'Kinesis', { signal, context: { streamName, shardId } });
      tail.iterator = ShardIterator;
      if (ShardIterator === undefined) return undefined;
    }
    const sentAtMs = clock.now();
    const output = await awsCall(this.#client, new GetRecordsCommand({ ShardIterator: tail.iterator, Limit: RECORDS_PER_CALL }), 'Kinesis', { signal, context: { streamName, shardId } });
    for (const record of output.Records ?? []) {
      observations.push(observe(shardId, record, sentAtMs));
      tail.start = { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: record.SequenceNumber };
    }
    tail.iterator = output.NextShardIterator ?? undefined;
    if (tail.iterator === undefined) tail.ended = true;
    // Everything that arrived before the tip this answer reached has been counted.
    return { shardId, fromMs: tail.coveredFromMs, untilMs: tail.ended ? sentAtMs : sentAtMs - (output.MillisBehindLatest ?? 0) };
  }

}

function observe(shardId: string, record: _Record, sentAtMs: number): ThroughputObservation {
  const bytes = record.Data?.length ?? 0;
  let userRecords = 1;
  try {
    const { records, outOfRange } = deaggregate(record);
    userRecords = Math.max(1, records.length + outOfRange.length);
  } catch {
    // A record the codec rejects (no partition key, say) still counts as one.
  }
  return { shardId, atMs: record.ApproximateArrivalTimestamp?.getTime() ?? sentAtMs, records: 1, userRecords, bytes };
}
