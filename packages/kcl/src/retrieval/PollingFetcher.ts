import { GetRecordsCommand, GetShardIteratorCommand, type ChildShard, type _Record } from '@aws-sdk/client-kinesis';
import { awsErrorCodeOf, sleep, type Clock, type Logger } from '@kinesis-toolkit/core';
import type { ExtendedSequenceNumber } from '../leases/Lease';
import { BatchQueue } from './BatchQueue';
import type { KinesisApi } from './KinesisApi';
import { ReadFailures } from './ReadFailures';
import { startingPosition } from './startingPosition';

/** One batch from a shard (a GetRecords answer or a SubscribeToShard event). */
export interface FetchedBatch {
  readonly records: readonly _Record[];
  readonly millisBehindLatest: number | undefined;
  /** The shard is closed and this was its last batch. */
  readonly shardEnded: boolean;
  /** On the last batch of a closed shard, when the service sends them (not kinesalite). */
  readonly childShards: readonly ChildShard[] | undefined;
}

/** Reads one shard ahead of its processor: polling (GetRecords) or enhanced fan-out (SubscribeToShard). */
export interface RecordFetcher {
  /**
   * The next batch, or undefined once stopped or after the shard's last batch.
   * @throws the error (core's `AwsRequestError`) when reading cannot go on: a fatal answer such as
   * ResourceNotFoundException or AccessDeniedException — after the batches fetched before it.
   */
  next(): Promise<FetchedBatch | undefined>;
  stop(): void;
}

/** What a fetcher needs to know. */
export interface FetcherSettings {
  readonly api: KinesisApi;
  readonly shardId: string;
  /** Where to start: a checkpoint (sentinel or sequence number). */
  readonly start: ExtendedSequenceNumber;
  /** For AT_TIMESTAMP starts. */
  readonly timestamp: Date | undefined;
  readonly maxRecords: number;
  readonly idleTimeBetweenReadsMs: number;
  readonly maxPrefetchedBatches: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: () => number;
  /** Hears each GetRecords call's outcome (the worker's `recordsFetched` event and the KCL's getRecords metrics). */
  readonly onGetRecords?: (outcome: GetRecordsOutcome) => void;
}

/** How one GetRecords call went. */
export interface GetRecordsOutcome {
  readonly success: boolean;
  readonly durationMs: number;
  readonly records: number;
  readonly millisBehindLatest: number | undefined;
  /** The AWS error code of a failed call. */
  readonly errorCode: string | undefined;
}

/** AWS allows 5 GetRecords calls per second per shard. */
export const MIN_CALL_SPACING_MS = 200;
const EXPIRED_ITERATOR = 'ExpiredIteratorException';

/**
 * Reads one shard with GetRecords, ahead of the processor by at most `maxPrefetchedBatches`
 * batches, so a slow processor never makes memory grow without bound. Every call has the worker's
 * deadline. Expired iterators are re-positioned after the last record fetched; throttled and
 * transient failures back off (core's `RetryPolicy`, full jitter, at least 200 ms) and are logged
 * with the count of failures in a row; a fatal answer ends the fetcher and `next()` rejects with
 * it. Pacing: 200 ms between calls while catching up, `idleTimeBetweenReadsMs` once caught up.
 */
export class PollingFetcher implements RecordFetcher {
  readonly #queue: BatchQueue;
  readonly #abort = new AbortController();
  readonly #failures: ReadFailures;
  #iterator: string | undefined;
  #lastFetched: string | undefined;

  constructor(private readonly settings: FetcherSettings) {
    this.#queue = new BatchQueue(settings.maxPrefetchedBatches);
    this.#failures = new ReadFailures({ ...settings, operation: 'GetRecords', retryableCodes: new Set([EXPIRED_ITERATOR]), minPauseMs: MIN_CALL_SPACING_MS });
    void this.#run();
  }

  /** The next batch, or undefined once stopped (or after the shard's last batch was taken). */
  next(): Promise<FetchedBatch | undefined> {
    return this.#queue.next();
  }

  stop(): void {
    this.#queue.close(true);
    this.#abort.abort();
  }

  async #run(): Promise<void> {
    const s = this.settings;
    const signal = this.#abort.signal;
    while (!this.#queue.closed) {
      await this.#queue.waitForRoom();
      if (this.#queue.closed) return;
      let pauseMs: number;
      try {
        this.#iterator ??= await this.#newIterator();
        const command = new GetRecordsCommand({ ShardIterator: this.#iterator, Limit: s.maxRecords, StreamARN: s.api.settings.streamARN });
        const sentAt = s.clock.now();
        const out = await s.api.send(command, { signal, shardId: s.shardId, retry: false }).catch((error: unknown) => {
          if (!this.#queue.closed) s.onGetRecords?.({ success: false, durationMs: s.clock.now() - sentAt, records: 0, millisBehindLatest: undefined, errorCode: awsErrorCodeOf(error) });
          throw error;
        });
        s.onGetRecords?.({ success: true, durationMs: s.clock.now() - sentAt, records: out.Records?.length ?? 0, millisBehindLatest: out.MillisBehindLatest, errorCode: undefined });
        this.#failures.reset();
        const records = out.Records ?? [];
        if (records.length > 0) this.#lastFetched = records[records.length - 1]!.SequenceNumber;
        this.#iterator = out.NextShardIterator ?? undefined;
        const shardEnded = out.NextShardIterator === undefined || out.NextShardIterator === null;
        if (records.length > 0 || shardEnded) {
          this.#queue.push({ records, millisBehindLatest: out.MillisBehindLatest, shardEnded, childShards: out.ChildShards });
        }
        if (shardEnded) {
          this.#queue.close();
          return;
        }
        // Behind while the service says so, or while pages come back full (some services,
        // kinesalite among them, always answer MillisBehindLatest 0).
        const behind = (out.MillisBehindLatest ?? 0) > 0 || records.length >= s.maxRecords;
        pauseMs = behind ? MIN_CALL_SPACING_MS : s.idleTimeBetweenReadsMs;
      } catch (error) {
        if (this.#queue.closed) return;
        const pause = this.#failures.next(error);
        if (pause === undefined) {
          this.#queue.fail(error);
          return;
        }
        // An iterator held past its five minutes (a slow processor): a new one after the last record fetched.
        if (awsErrorCodeOf(error) === EXPIRED_ITERATOR) this.#iterator = undefined;
        pauseMs = pause;
      }
      await sleep(pauseMs, { clock: s.clock, signal }).catch(() => undefined);
    }
  }

  /** An iterator after the last record fetched, or at the starting checkpoint. */
  async #newIterator(): Promise<string> {
    const s = this.settings;
    const position = startingPosition(s.start, s.timestamp, this.#lastFetched);
    const command = new GetShardIteratorCommand({
      StreamName: s.api.settings.streamARN === undefined ? s.api.settings.streamName : undefined,
      StreamARN: s.api.settings.streamARN,
      ShardId: s.shardId,
      ShardIteratorType: position.Type,
      StartingSequenceNumber: position.SequenceNumber,
      Timestamp: position.Timestamp,
    });
    const out = await s.api.send(command, { signal: this.#abort.signal, shardId: s.shardId, retry: false });
    if (out.ShardIterator === undefined) throw new Error(`GetShardIterator returned no iterator for ${s.shardId}`);
    return out.ShardIterator;
  }
}
