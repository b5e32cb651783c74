import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient, type ListShardsCommandInput, type Shard, type _Record } from '@aws-sdk/client-kinesis';
import { CliError } from '../CliError';
import { deaggregate, type UserRecord } from '@kinesis-toolkit/aggregation';
import { RetryPolicy, SYSTEM_CLOCK, awsErrorCodeOf, callAws, classifyAwsError, listAllShards, type AwsClientLike, type Clock } from '@kinesis-toolkit/core';

/** Each Kinesis call's deadline (per attempt). */
const REQUEST_TIMEOUT_MS = 10_000;

/** Where reading starts in the shards it starts with. */
export type StartPosition =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestamp: Date };

/** De-aggregated records of one GetRecords call on one shard, in shard order. */
export interface ShardRecords {
  readonly shardId: string;
  readonly records: readonly UserRecord[];
}

/** Options of a {@link StreamReader}; all but `client`, `streamName` and `onRecords` are optional. */
export interface StreamReaderOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  /** @defaultValue `{ type: 'LATEST' }` */
  readonly start?: StartPosition;
  /**
   * Read only these shards, and stop at their end (children are not followed). Empty: every
   * shard, following children after their parents end.
   * @defaultValue `[]`
   */
  readonly shardIds?: readonly string[];
  /** Pause between GetRecords calls on a shard that is caught up. @defaultValue 1000 */
  readonly idlePollIntervalMs?: number;
  /** Pause between GetRecords calls on a shard that is behind (5 calls/s per shard is the AWS limit). @defaultValue 200 */
  readonly busyPollIntervalMs?: number;
  /** Pause after a throttled or transiently failed GetRecords (then it is polled again). @defaultValue 1000 */
  readonly throttleBackoffMs?: number;
  /** Records per GetRecords call (1–10000). @defaultValue 10000 */
  readonly maxRecordsPerCall?: number;
  /** Stop each shard once it is caught up (an empty response with MillisBehindLatest 0). @defaultValue false */
  readonly stopWhenCaughtUp?: boolean;
  /** Stops reading (in-flight calls are aborted). */
  readonly signal?: AbortSignal;
  /**
   * Receives each shard's records in order; awaited before that shard reads on. Return `'stop'`
   * to stop the whole reader (e.g. a record limit was reached).
   */
  readonly onRecords: (batch: ShardRecords) => void | 'stop' | Promise<void | 'stop'>;
  /** Things a person should know that are not failures: corrupt aggregates, records outside their shard's range. */
  readonly onWarning?: (message: string) => void;
  /** @defaultValue SYSTEM_CLOCK */
  readonly clock?: Clock;
}

type ResolvedReaderOptions = Required<Omit<StreamReaderOptions, 'signal'>> & { readonly signal: AbortSignal | undefined };

/**
 * Reads a stream with GetShardIterator/GetRecords and de-aggregates what it fetched — the
 * polling view a person wants at a terminal, without leases or checkpoints. Every shard is read
 * by its own loop, in order; a shard's children start once all of their parents (those still in
 * the stream's retention) have been read to their end, so per-key order holds across splits and
 * merges. From TRIM_HORIZON or AT_TIMESTAMP it starts at the oldest shards; from LATEST at the
 * open ones, reading their later children from TRIM_HORIZON so that nothing is skipped.
 */
export class StreamReader {
  readonly #options: ResolvedReaderOptions;
  readonly #stop = new AbortController();
  readonly #ended = new Set<string>();
  readonly #started = new Set<string>();
  readonly #loops: Promise<void>[] = [];
  /** Every shard seen by the latest ListShards, by id. */
  #shardsById = new Map<string, Shard>();
  #failure: { error: unknown } | undefined;
  /** ListShards and GetShardIterator: retried under core's policy (GetRecords is polled anyway). */
  readonly #retry: RetryPolicy;

  constructor(options: StreamReaderOptions) {
    this.#options = {
      client: options.client,
      streamName: options.streamName,
      start: options.start ?? { type: 'LATEST' },
      shardIds: options.shardIds ?? [],
      idlePollIntervalMs: options.idlePollIntervalMs ?? 1_000,
      busyPollIntervalMs: options.busyPollIntervalMs ?? 200,
      throttleBackoffMs: options.throttleBackoffMs ?? 1_000,
      maxRecordsPerCall: options.maxRecordsPerCall ?? 10_000,
      stopWhenCaughtUp: options.stopWhenCaughtUp ?? false,
      onRecords: options.onRecords,
      onWarning: options.onWarning ?? (() => undefined),
      clock: options.clock ?? SYSTEM_CLOCK,
      signal: options.signal,
    };
    this.#retry = new RetryPolicy({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 }, { clock: this.#options.clock });
  }

  #send<C extends object>(command: C, retry: boolean) {
    return callAws(this.#options.client as AwsClientLike, command, {
      service: 'Kinesis',
      timeoutMs: REQUEST_TIMEOUT_MS,
      retry: retry ? this.#retry : undefined,
      clock: this.#options.clock,
      signal: this.#stop.signal,
      context: { streamName: this.#options.streamName },
    });
  }

  /**
   * Reads until stopped (signal, `'stop'`), or with `stopWhenCaughtUp` until every shard is
   * caught up or ended.
   * @throws CliError for a `shardIds` entry the stream does not have; the first error of ListShards/GetShardIterator/GetRecords other than throttling
   * (e.g. `ResourceNotFoundException`), after stopping the other shards.
   */
  async run(): Promise<void> {
    const { signal } = this.#options;
    if (signal?.aborted) return;
    const onAbort = () => this.#stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const shards = await this.#listShards();
      const explicit = this.#options.shardIds;
      if (explicit.length > 0) {
        const missing = explicit.filter((shardId) => !this.#shardsById.has(shardId));
        if (missing.length > 0) {
          throw new CliError(
            `stream "${this.#options.streamName}" has no shard ${missing.join(', ')} — its shards: ${[...this.#shardsById.keys()].join(', ') || 'none'}.`,
            2,
          );
        }
        for (const shardId of explicit) this.#launch(shardId, this.#options.start);
      } else {
        const present = new Set(shards.map((shard) => shard.ShardId));
        const startWith =
          this.#options.start.type === 'LATEST'
            ? shards.filter((shard) => shard.SequenceNumberRange?.EndingSequenceNumber === undefined)
            : shards.filter((shard) => parentsOf(shard).every((parent) => !present.has(parent)));
        // From LATEST, the shards that were closed already count as read: their open children are read instead.
        if (this.#options.start.type === 'LATEST') {
          for (const shard of shards) if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) this.#ended.add(shard.ShardId as string);
        }
        for (const shard of startWith) this.#launch(shard.ShardId as string, this.#options.start);
      }
      // Loops launch children as they go; wait until no loop is left.
      for (let settled = 0; settled < this.#loops.length; settled += 1) await this.#loops[settled];
      if (this.#failure !== undefined) throw this.#failure.error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#stop.abort();
    }
  }

  /** Shards of the stream (all pages, through core's `listAllShards`); `ResourceNotFoundException` when it does not exist. */
  async #listShards(): Promise<Shard[]> {
    const shards = await listAllShards((input) => this.#send(new ListShardsCommand(input as ListShardsCommandInput), true), { streamName: this.#options.streamName });
    this.#shardsById = new Map(shards.map((shard) => [shard.ShardId as string, shard]));
    return shards;
  }

  #launch(shardId: string, start: StartPosition): void {
    if (this.#started.has(shardId)) return;
    this.#started.add(shardId);
    this.#loops.push(
      this.#readShard(shardId, start).catch((error: unknown) => {
        if (this.#stop.signal.aborted) return; // aborted calls reject; that is us stopping
        this.#failure ??= { error };
        this.#stop.abort();
      }),
    );
  }

  async #readShard(shardId: string, start: StartPosition): Promise<void> {
    const stop = this.#stop.signal;
    let lastSequenceNumber: string | undefined;
    let hashKeyRange: { startingHashKey: string; endingHashKey: string } | undefined;
    let iterator: string | undefined = await this.#iterator(shardId, start, undefined);
    while (iterator !== undefined && !stop.aborted) {
      let response;
      try {
        response = await this.#send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.#options.maxRecordsPerCall }), false);
      } catch (error) {
        const { kind } = classifyAwsError(error);
        if (kind === 'throttled' || kind === 'transient') {
          await this.#sleep(this.#options.throttleBackoffMs);
          continue;
        }
        if (awsErrorCodeOf(error) === 'ExpiredIteratorException') {
          iterator = await this.#iterator(shardId, start, lastSequenceNumber);
          continue;
        }
        throw error;
      }
      const kinesisRecords = response.Records ?? [];
      if (kinesisRecords.length > 0) {
        hashKeyRange ??= this.#hashKeyRange(shardId);
        const records = this.#deaggregate(shardId, kinesisRecords, hashKeyRange);
        lastSequenceNumber = kinesisRecords[kinesisRecords.length - 1]?.SequenceNumber ?? lastSequenceNumber;
        if (records.length > 0 && (await this.#options.onRecords({ shardId, records })) === 'stop') {
          this.#stop.abort();
          return;
        }
      }
      iterator = response.NextShardIterator ?? undefined;
      if (iterator === undefined) break; // the shard has ended and we have read all of it
      const caughtUp = kinesisRecords.length === 0 && (response.MillisBehindLatest ?? 0) === 0;
      if (caughtUp && this.#options.stopWhenCaughtUp) return;
      await this.#sleep(caughtUp ? this.#options.idlePollIntervalMs : this.#options.busyPollIntervalMs);
    }
    if (stop.aborted) return;
    this.#ended.add(shardId);
    if (this.#options.shardIds.length === 0) await this.#launchChildren(shardId);
  }

  async #iterator(shardId: string, start: StartPosition, afterSequenceNumber: string | undefined): Promise<string | undefined> {
    const position =
      afterSequenceNumber !== undefined
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, StartingSequenceNumber: afterSequenceNumber }
        : start.type === 'AT_TIMESTAMP'
          ? { ShardIteratorType: 'AT_TIMESTAMP' as const, Timestamp: start.timestamp }
          : { ShardIteratorType: start.type };
    const response = await this.#send(new GetShardIteratorCommand({ StreamName: this.#options.streamName, ShardId: shardId, ...position }), true);
    return response.ShardIterator ?? undefined;
  }

  #hashKeyRange(shardId: string): { startingHashKey: string; endingHashKey: string } | undefined {
    const range = this.#shardsById.get(shardId)?.HashKeyRange;
    return range?.StartingHashKey !== undefined && range.EndingHashKey !== undefined
      ? { startingHashKey: range.StartingHashKey, endingHashKey: range.EndingHashKey }
      : undefined;
  }

  #deaggregate(shardId: string, kinesisRecords: readonly _Record[], hashKeyRange: { startingHashKey: string; endingHashKey: string } | undefined): UserRecord[] {
    const records: UserRecord[] = [];
    for (const kinesisRecord of kinesisRecords) {
      const result = deaggregate(kinesisRecord, hashKeyRange !== undefined ? { shardHashKeyRange: hashKeyRange } : {});
      if (result.format === 'corrupt') {
        this.#options.onWarning(`${shardId} record ${kinesisRecord.SequenceNumber}: has the aggregation magic but ${result.corruption?.message ?? 'is corrupt'}; printed as one plain record`);
      }
      if (result.outOfRange.length > 0) {
        this.#options.onWarning(
          `${shardId} record ${kinesisRecord.SequenceNumber}: ${result.outOfRange.length} sub-record(s) hash outside the shard's range; printed anyway`,
        );
      }
      // Out-of-range sub-records are still this shard's data: print them in sub-sequence order.
      records.push(...[...result.records, ...result.outOfRange].sort((a, b) => a.subSequenceNumber - b.subSequenceNumber));
    }
    return records;
  }

  /** After `shardId` ended: start each child whose parents (those still in the stream) have all ended. */
  async #launchChildren(shardId: string): Promise<void> {
    const shards = await this.#listShards();
    const present = new Set(shards.map((shard) => shard.ShardId));
    const childStart: StartPosition = this.#options.start.type === 'LATEST' ? { type: 'TRIM_HORIZON' } : this.#options.start;
    for (const child of shards) {
      const parents = parentsOf(child);
      if (!parents.includes(shardId)) continue;
      if (parents.every((parent) => this.#ended.has(parent) || !present.has(parent))) this.#launch(child.ShardId as string, childStart);
    }
  }

  /** Resolves after `ms`, or at once when the reader stops. */
  #sleep(ms: number): Promise<void> {
    const stop = this.#stop.signal;
    if (stop.aborted) return Promise.resolve();
    const { clock } = this.#options;
    return new Promise((resolve) => {
      const done = () => {
        clock.clearTimeout(handle);
        stop.removeEventListener('abort', done);
        resolve();
      };
      const handle = clock.setTimeout(done, ms);
      stop.addEventListener('abort', done, { once: true });
    });
  }
}

function parentsOf(shard: Shard): string[] {
  return [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => id !== undefined && id !== null);
}
