import { ListShardsCommand, type KinesisClient, type ListShardsCommandInput, type Shard } from '@aws-sdk/client-kinesis';
import { ShardMap, type ShardRange } from '@kinesis-toolkit/aggregation';
import {
  AwsRequestError,
  KinesisToolkitError,
  callAws,
  classifyAwsError,
  listAllShards,
  type Clock,
  type Logger,
  type RetryPolicy,
  type TimerHandle,
} from '@kinesis-toolkit/core';

/** Which stream a provider lists. */
export interface StreamRef {
  readonly streamName: string | undefined;
  readonly streamARN: string | undefined;
}

/** Why a shard map refresh happened. */
export type RefreshReason = 'start' | 'interval' | 'wrongShard' | 'unknownShard';

/** What a {@link ShardMapProvider} needs. */
export interface ShardMapProviderOptions {
  readonly client: KinesisClient;
  readonly stream: StreamRef;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Each ListShards page's deadline. */
  readonly requestTimeoutMs: number;
  /** The backoff between failed listings (its `delayMs`). */
  readonly backoff: RetryPolicy;
  /** A listing succeeded. */
  readonly onChange: (map: ShardMap, reason: RefreshReason) => void;
  /** A listing failed with an error that retrying cannot fix (a missing stream, access denied): it is not retried. */
  readonly onFatal: (error: KinesisToolkitError) => void;
  /** Wrong-shard and unknown-shard refreshes asked for within this long of the last one share a later one. @defaultValue 500 */
  readonly minIntervalMs?: number;
}

/**
 * Keeps the producer's view of the stream's open shards: lists them (every page, through core's
 * `listAllShards` and `callAws`, each page with a deadline) at start, on a timer, and when a
 * result says the map is stale. Concurrent refreshes share one listing.
 *
 * A listing that fails for a reason retrying can fix (a reset connection, a deadline, throttling)
 * is tried again after core's full-jitter backoff — sub-second at first, never more than
 * `retry.maxDelayMs` — whether or not a map exists; the previous map stays in use meanwhile. One
 * that fails for good (`ResourceNotFoundException`, `AccessDeniedException`…) is reported to
 * `onFatal` and not retried by itself; a later refresh may try again, no sooner than the backoff
 * allows. A listing cut short by {@link stop} is not a failure and is not reported.
 */
export class ShardMapProvider {
  #current: ShardMap | undefined;
  #inFlight: Promise<ShardMap | undefined> | undefined;
  #lastStartedAt = -Infinity;
  #deferred: { promise: Promise<ShardMap | undefined>; resolve: (map: ShardMap | undefined | Promise<ShardMap | undefined>) => void; timer: TimerHandle } | undefined;
  #retryTimer: TimerHandle | undefined;
  #intervalTimer: TimerHandle | undefined;
  #failures = 0;
  /** After a fatal failure, no listing starts before this (core's backoff, so a missing stream is not listed in a tight loop). */
  #notBefore = -Infinity;
  #lastError: KinesisToolkitError | undefined;
  /** Hash-key ranges of every shard a listing of all shards returned, closed ones included. */
  readonly #ranges = new Map<string, ShardRange>();
  #listingAll: Promise<void> | undefined;
  readonly #stopping = new AbortController();
  readonly #minIntervalMs: number;

  constructor(private readonly options: ShardMapProviderOptions) {
    this.#minIntervalMs = options.minIntervalMs ?? 500;
  }

  /** The latest map, if any listing has succeeded. */
  get current(): ShardMap | undefined {
    return this.#current;
  }

  /** Why the last listing failed, while none has succeeded since. */
  get lastError(): KinesisToolkitError | undefined {
    return this.#lastError;
  }

  /** Whether a listing is under way or will start by itself (a retry or a deferred refresh). */
  get pending(): boolean {
    return this.#inFlight !== undefined || this.#deferred !== undefined || this.#retryTimer !== undefined;
  }

  /**
   * The hash-key range of a shard, open or closed. An open shard of the current map answers at once;
   * another is looked up in a listing of every shard (no `ShardFilter`), made when it is not known
   * yet and shared by concurrent lookups: a record can land on a child shard that closed (merged or
   * split again) before any listing of the open shards saw it, and only such a listing names it.
   * @returns undefined when that listing fails or does not name it (the caller tries again later).
   */
  async shardRange(shardId: string): Promise<ShardRange | undefined> {
    const known = this.#current?.shards.find((shard) => shard.shardId === shardId) ?? this.#ranges.get(shardId);
    if (known !== undefined || this.#stopping.signal.aborted) return known;
    this.#listingAll ??= this.#listAll().finally(() => {
      this.#listingAll = undefined;
    });
    await this.#listingAll;
    return this.#ranges.get(shardId);
  }

  /**
   * Lists the shards again, or joins the listing under way. A wrong-shard or unknown-shard refresh
   * asked for within `minIntervalMs` of the previous one is deferred to the end of that window
   * (never dropped), so a burst of wrong-shard results costs one ListShards. While a retry after a
   * failure is scheduled, the backoff is kept: the current map is returned at once.
   */
  refresh(reason: RefreshReason): Promise<ShardMap | undefined> {
    if (this.#stopping.signal.aborted || this.#retryTimer !== undefined) return Promise.resolve(this.#current);
    if (this.#inFlight !== undefined) return this.#inFlight;
    if (this.#deferred !== undefined) return this.#deferred.promise;
    const clock = this.options.clock;
    const now = clock.now();
    let waitMs = this.#notBefore - now;
    if (reason !== 'start' && reason !== 'interval') waitMs = Math.max(waitMs, this.#lastStartedAt + this.#minIntervalMs - now);
    if (waitMs > 0) {
      let resolve!: (map: ShardMap | undefined | Promise<ShardMap | undefined>) => void;
      const promise = new Promise<ShardMap | undefined>((settle) => (resolve = settle));
      const timer = clock.setTimeout(() => {
        this.#deferred = undefined;
        resolve(this.refresh(reason));
      }, waitMs);
      this.#deferred = { promise, resolve, timer };
      return promise;
    }
    this.#lastStartedAt = clock.now();
    this.#inFlight = this.#list()
      .then(
        (map) => {
          this.#failures = 0;
          this.#notBefore = -Infinity;
          this.#lastError = undefined;
          this.#current = map;
          this.options.onChange(map, reason);
          return map;
        },
        (error: unknown) => {
          this.#failed(error, reason);
          return this.#current;
        },
      )
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  /** Lists the shards again every `intervalMs` (an `'interval'` refresh), until {@link stop}; the timer alone does not keep a process alive. */
  refreshEvery(intervalMs: number): void {
    const timer = this.options.clock.setTimeout(() => {
      if (this.#stopping.signal.aborted) return;
      void this.refresh('interval');
      this.refreshEvery(intervalMs);
    }, intervalMs);
    (timer as { unref?: () => void })?.unref?.();
    this.#intervalTimer = timer;
  }

  /** Aborts a listing under way and cancels scheduled ones; later refreshes do nothing. */
  stop(): void {
    this.#stopping.abort(new Error('the producer is closing'));
    const clock = this.options.clock;
    if (this.#deferred !== undefined) {
      clock.clearTimeout(this.#deferred.timer);
      this.#deferred.resolve(this.#current);
      this.#deferred = undefined;
    }
    if (this.#retryTimer !== undefined) clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    clock.clearTimeout(this.#intervalTimer);
    this.#intervalTimer = undefined;
  }

  #failed(error: unknown, reason: RefreshReason): void {
    const { logger, stream } = this.options;
    const streamName = stream.streamName ?? stream.streamARN;
    // Closing aborted it: nothing failed, and nothing is left to refresh for.
    if (this.#stopping.signal.aborted) return;
    const failure =
      error instanceof KinesisToolkitError
        ? error
        : new AwsRequestError(error, classifyAwsError(error), { service: 'Kinesis', operation: 'ListShards', attempts: 1, context: { streamName } });
    this.#lastError = failure;
    this.#failures++;
    const delayMs = this.options.backoff.delayMs(this.#failures);
    if (!failure.retryable) {
      // Not retried by itself; a later refresh (a new put while there is no map) may try again, after the backoff.
      this.#notBefore = this.options.clock.now() + delayMs;
      logger.error({ streamName, reason, code: failure.code, error: failure.message }, 'ListShards failed and will not be retried');
      this.options.onFatal(failure);
      return;
    }
    logger.warn({ streamName, reason, code: failure.code, failures: this.#failures, delayMs }, `ListShards failed (${failure.code}); retrying`);
    this.#retryTimer = this.options.clock.setTimeout(() => {
      this.#retryTimer = undefined;
      void this.refresh(reason);
    }, delayMs);
  }

  /** Lists every shard of the stream, closed ones included, into `#ranges`; a failure is logged (the caller tries again later). */
  async #listAll(): Promise<void> {
    const { stream, logger } = this.options;
    try {
      for (const shard of await this.#listShards(undefined)) {
        const range = shard.HashKeyRange;
        if (shard.ShardId === undefined || range?.StartingHashKey === undefined || range.EndingHashKey === undefined) continue;
        this.#ranges.set(shard.ShardId, { shardId: shard.ShardId, startingHashKey: BigInt(range.StartingHashKey), endingHashKey: BigInt(range.EndingHashKey) });
      }
    } catch (error) {
      if (this.#stopping.signal.aborted) return;
      logger.warn({ streamName: stream.streamName ?? stream.streamARN, error: error instanceof Error ? error.message : String(error) }, 'ListShards of every shard failed');
    }
  }

  async #list(): Promise<ShardMap> {
    return ShardMap.fromShards(await this.#listShards({ Type: 'AT_LATEST' }));
  }

  /** Every page of ListShards (open shards only with `AT_LATEST`), each call under callAws. */
  #listShards(shardFilter: { Type: 'AT_LATEST' } | undefined): Promise<Shard[]> {
    const { client, stream, clock, requestTimeoutMs } = this.options;
    const context = { streamName: stream.streamName ?? stream.streamARN };
    return listAllShards<Shard>(
      (input) =>
        callAws(client, new ListShardsCommand(input as ListShardsCommandInput), {
          service: 'Kinesis',
          operation: 'ListShards',
          timeoutMs: requestTimeoutMs,
          clock,
          signal: this.#stopping.signal,
          context,
        }),
      { streamName: stream.streamName, streamARN: stream.streamARN, ...(shardFilter === undefined ? {} : { shardFilter }) },
    );
  }
}
