import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type ChildShard,
  type KinesisClient,
  type _Record,
  type GetShardIteratorCommandInput,
} from '@aws-sdk/client-kinesis';
import type { Clock, Logger } from '@kinesis-toolkit/core';
import type { ExtendedSequenceNumber } from '../leases/Lease';
import { BatchQueue } from './BatchQueue';
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
  /** The next batch, or undefined once stopped or after the shard's last batch. */
  next(): Promise<FetchedBatch | undefined>;
  stop(): void;
}

/** What a fetcher needs to know. */
export interface FetcherSettings {
  readonly client: KinesisClient;
  readonly streamName: string | undefined;
  readonly streamARN: string | undefined;
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
}

/** AWS allows 5 GetRecords calls per second per shard. */
const MIN_CALL_SPACING_MS = 200;
const MAX_BACKOFF_MS = 10_000;

/**
 * Reads one shard with GetRecords, ahead of the processor by at most `maxPrefetchedBatches`
 * batches, so a slow processor never makes memory grow without bound. Handles expired
 * iterators (re-positions after the last record fetched), throttling and transient errors
 * (full-jitter backoff), and pacing (200 ms between calls while catching up,
 * `idleTimeBetweenReadsMs` once caught up).
 */
export class PollingFetcher implements RecordFetcher {
  readonly #queue: BatchQueue;
  #iterator: string | undefined;
  #lastFetched: string | undefined;
  #timer: unknown;
  #wake: (() => void) | undefined;
  #failures = 0;

  constructor(private readonly settings: FetcherSettings) {
    this.#queue = new BatchQueue(settings.maxPrefetchedBatches);
    void this.#run();
  }

  /** The next batch, or undefined once stopped (or after the shard's last batch was taken). */
  next(): Promise<FetchedBatch | undefined> {
    return this.#queue.next();
  }

  stop(): void {
    this.#queue.close(true);
    this.settings.clock.clearTimeout(this.#timer);
    this.#wake?.();
  }

  async #run(): Promise<void> {
    const s = this.settings;
    while (!this.#queue.closed) {
      await this.#queue.waitForRoom();
      if (this.#queue.closed) return;
      let pauseMs: number;
      try {
        this.#iterator ??= await this.#newIterator();
        const out = await s.client.send(new GetRecordsCommand({ ShardIterator: this.#iterator, Limit: s.maxRecords, StreamARN: s.streamARN }));
        this.#failures = 0;
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
        const caughtUp = !behind;
        pauseMs = caughtUp ? s.idleTimeBetweenReadsMs : MIN_CALL_SPACING_MS;
      } catch (error) {
        const name = (error as Error)?.name;
        if (name === 'ExpiredIteratorException') this.#iterator = undefined;
        this.#failures++;
        const ceiling = Math.min(MAX_BACKOFF_MS, MIN_CALL_SPACING_MS * 2 ** Math.min(this.#failures, 10));
        pauseMs = Math.max(MIN_CALL_SPACING_MS, Math.floor(s.random() * ceiling));
        s.logger.warn({ shardId: s.shardId, error: name, pauseMs }, 'GetRecords failed; backing off');
      }
      await this.#pause(pauseMs);
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#queue.closed) return resolve();
      this.#wake = resolve;
      this.#timer = this.settings.clock.setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
    });
  }

  /** An iterator after the last record fetched, or at the starting checkpoint. */
  async #newIterator(): Promise<string> {
    const s = this.settings;
    const position = startingPosition(s.start, s.timestamp, this.#lastFetched);
    const input: GetShardIteratorCommandInput = {
      StreamName: s.streamName,
      StreamARN: s.streamARN,
      ShardId: s.shardId,
      ShardIteratorType: position.Type,
      StartingSequenceNumber: position.SequenceNumber,
      Timestamp: position.Timestamp,
    };
    const out = await s.client.send(new GetShardIteratorCommand(input));
    if (out.ShardIterator === undefined) throw new Error(`GetShardIterator returned no iterator for ${s.shardId}`);
    return out.ShardIterator;
  }
}
