import { ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import { ShardMap } from '@kinesis-toolkit/aggregation';
import { type Clock, type Logger } from '@kinesis-toolkit/core';
import { sendWithTimeout } from '../sending/sendWithTimeout';

/** Which stream a provider lists. */
export interface StreamRef {
  readonly streamName: string | undefined;
  readonly streamARN: string | undefined;
}

/** Why a shard map refresh happened. */
export type RefreshReason = 'start' | 'interval' | 'wrongShard' | 'unknownShard';

/**
 * Keeps the producer's view of the stream's open shards: lists them (all pages) at start, on a
 * timer, and when a result says the map is stale. Concurrent refreshes share one request; a
 * failed refresh keeps the old map and is logged (the producer keeps working without one).
 */
export class ShardMapProvider {
  #current: ShardMap | undefined;
  #inFlight: Promise<ShardMap | undefined> | undefined;
  #lastStartedAt = -Infinity;
  #deferred: Promise<ShardMap | undefined> | undefined;
  #deferredTimer: unknown;
  readonly #stopping = new AbortController();

  constructor(
    private readonly client: KinesisClient,
    private readonly stream: StreamRef,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly requestTimeoutMs: number,
    private readonly onChange: (map: ShardMap, reason: RefreshReason) => void,
    /** Refreshes asked for within this long of the last one share its result. */
    private readonly minIntervalMs = 500,
  ) {}

  /** The latest map, if any refresh has succeeded. */
  get current(): ShardMap | undefined {
    return this.#current;
  }

  /**
   * Lists the shards again, or joins the refresh under way. A refresh asked for within
   * `minIntervalMs` of the previous one is deferred to the end of that window (never dropped),
   * so a burst of wrong-shard results costs one ListShards.
   */
  refresh(reason: RefreshReason): Promise<ShardMap | undefined> {
    if (this.#stopping.signal.aborted) return Promise.resolve(this.#current);
    if (this.#inFlight !== undefined) return this.#inFlight;
    if (this.#deferred !== undefined) return this.#deferred;
    const waitMs = this.#lastStartedAt + this.minIntervalMs - this.clock.now();
    if (reason !== 'start' && reason !== 'interval' && waitMs > 0) {
      this.#deferred = new Promise((resolve) => {
        this.#deferredTimer = this.clock.setTimeout(() => {
          this.#deferred = undefined;
          resolve(this.refresh(reason));
        }, waitMs);
      });
      return this.#deferred;
    }
    this.#lastStartedAt = this.clock.now();
    this.#inFlight = this.#list()
      .then((map) => {
        this.#current = map;
        this.onChange(map, reason);
        return map;
      })
      .catch((err: unknown) => {
        this.logger.warn({ reason, error: String(err) }, 'shard map refresh failed; keeping the previous map');
        return this.#current;
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  /** Aborts a ListShards under way and cancels a deferred refresh; later refreshes do nothing. */
  stop(): void {
    this.#stopping.abort(new Error('the producer is closing'));
    this.clock.clearTimeout(this.#deferredTimer);
  }

  async #list(): Promise<ShardMap> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const input =
        nextToken !== undefined
          ? { NextToken: nextToken }
          : { StreamName: this.stream.streamName, StreamARN: this.stream.streamARN, ShardFilter: { Type: 'AT_LATEST' as const } };
      const command = new ListShardsCommand(input);
      const page = await sendWithTimeout(
        this.clock,
        this.requestTimeoutMs,
        (abortSignal) => this.client.send(command, { abortSignal }),
        this.#stopping.signal,
      );
      shards.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    return ShardMap.fromShards(shards);
  }
}
