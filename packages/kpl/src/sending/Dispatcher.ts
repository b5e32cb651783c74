import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ShardMap } from '@kinesis-toolkit/aggregation';
import { RetryPolicy, type AwsErrorKind, type KinesisToolkitError } from '@kinesis-toolkit/core';
import type { ResolvedProducerOptions } from '../config/ProducerOptions';
import type { OutgoingRecord, PendingRecord } from '../buffering/PendingRecord';
import { RecordPacker } from '../buffering/RecordPacker';
import { AWAITING_SHARD_MAP, RouteTable } from '../buffering/RouteTable';
import type { ShardBuffer } from '../buffering/ShardBuffer';
import type { ProducerMetricName, ShardMapRefreshedEvent } from '../events/ProducerEvents';
import { ShardMeter } from '../ratelimit/ShardMeter';
import { ShardMapProvider, type RefreshReason, type StreamRef } from '../shards/ShardMapProvider';
import { Collector } from './Collector';
import { OutcomeRouter } from './OutcomeRouter';
import { PutRecordsSender, type BatchOutcome } from './PutRecordsSender';

/** What the dispatcher reports back to the producer. */
export interface DispatcherHost {
  succeed(record: PendingRecord, shardId: string, sequenceNumber: string, subSequenceNumber: number, aggregated: boolean): void;
  /** A failure the dispatcher will not retry: `fatal` errors, throttling with `failIfThrottled`, expiry. */
  fail(record: PendingRecord, errorCode: string, errorMessage: string, kind: AwsErrorKind | 'expired', cause?: unknown): void;
  metric(name: ProducerMetricName, value: number, shardId?: string, errorCode?: string): void;
  shardMapRefreshed(event: ShardMapRefreshedEvent): void;
  /** A PutRecords request was answered, or failed as a whole (before its records are settled or retried). */
  requestCompleted?(batch: readonly OutgoingRecord[], outcome: BatchOutcome): void;
}

/**
 * Moves admitted user records to Kinesis: routes them to per-shard buffers, packs aggregates,
 * meters them through per-shard token buckets, collects PutRecords batches, sends them with at
 * most `maxConcurrentRequests` in flight, and routes each entry's outcome — success, retry with
 * backoff, or failure — back to the producer. One timer, on the injected clock, drives deadlines,
 * backoff and bucket refills.
 *
 * Until the first shard map exists, records are held (never sent unrouted: they would be neither
 * aggregated across keys nor rate limited) while ListShards is retried with backoff; the map's
 * arrival routes them to their shards. A held record past its TTL expires; a ListShards that
 * fails for good rejects every held record at once.
 */
export class Dispatcher {
  /** While above zero, buffers are packed and batches sent without waiting for deadlines. */
  flushing = 0;
  readonly #buffers: RouteTable;
  readonly #meter: ShardMeter;
  readonly #packer: RecordPacker;
  readonly #collector: Collector;
  readonly #sender: PutRecordsSender;
  readonly #backoff: RetryPolicy;
  readonly #shardMaps: ShardMapProvider;
  readonly #outcomes: OutcomeRouter;
  #inFlightRequests = 0;
  #timer: unknown;
  #timerAt = Infinity;
  #refreshTimer: unknown;
  #stopped = false;

  constructor(
    private readonly config: ResolvedProducerOptions,
    client: KinesisClient,
    stream: StreamRef,
    private readonly host: DispatcherHost,
  ) {
    this.#packer = new RecordPacker(config);
    this.#collector = new Collector(config.collectionMaxCount, config.collectionMaxBytes);
    this.#meter = new ShardMeter(config.rateLimitPercent, config.clock, (outgoing) => this.#collector.push(outgoing));
    this.#sender = new PutRecordsSender(client, stream, config.clock, config.requestTimeoutMs);
    // Records are retried until their TTL, not a number of attempts.
    this.#backoff = new RetryPolicy({ ...config.retry, maxAttempts: Infinity }, { clock: config.clock, random: config.random });
    this.#shardMaps = new ShardMapProvider({
      client,
      stream,
      clock: config.clock,
      logger: config.logger,
      requestTimeoutMs: config.requestTimeoutMs,
      backoff: this.#backoff,
      onChange: (map, reason) => this.#onShardMap(map, reason),
      onFatal: (error) => this.#onShardMapFailed(error),
    });
    this.#buffers = new RouteTable(this.#shardMaps);
    this.#outcomes = new OutcomeRouter({
      config,
      host,
      shardMaps: this.#shardMaps,
      meter: this.#meter,
      backoff: this.#backoff,
      retry: (records, backOff, homeRouteKey) => this.#retry(records, backOff, homeRouteKey === undefined ? undefined : this.#buffers.get(homeRouteKey)),
    });
  }

  /** The current shard map, once the first ListShards has answered. */
  get shardMap(): ShardMap | undefined {
    return this.#shardMaps.current;
  }

  /** Lists the shards now (retrying with backoff until it works or fails for good) and then every `shardMapRefreshIntervalMs`. */
  start(): Promise<ShardMap | undefined> {
    this.#scheduleRefresh();
    return this.#shardMaps.refresh('start');
  }

  /** Stops the timers; records still buffered stay where they are (the producer flushes first). */
  stop(): void {
    this.#stopped = true;
    this.#shardMaps.stop();
    this.config.clock.clearTimeout(this.#timer);
    this.config.clock.clearTimeout(this.#refreshTimer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  /** Takes an admitted record into its buffer. */
  add(record: PendingRecord): void {
    const buffer = this.#buffers.bufferFor(record);
    buffer.add(record);
    if (buffer.routeKey === AWAITING_SHARD_MAP) {
      // Held until a map exists: the only deadline that matters is its TTL.
      if (!this.#shardMaps.pending) void this.#shardMaps.refresh('start');
      this.#armTimer(record.expiresAt);
      return;
    }
    if (this.#packer.isFull(buffer)) this.#packBuffer(buffer, true, true);
    this.#armTimer(this.flushing > 0 ? this.config.clock.now() : record.deadline);
  }

  /** Runs the scheduler now (used when a flush starts). */
  pump(): void {
    this.#onTimer();
  }

  /** Packs a buffer's records into Kinesis records and meters them; `dispatch` sends what is due at once. */
  #packBuffer(buffer: ShardBuffer, onlyFull: boolean, dispatch: boolean): void {
    if (buffer.notBefore > this.config.clock.now()) return;
    const preserveOrder = this.config.preserveOrder;
    if (preserveOrder && buffer.inFlight > 0) return;
    const packed = this.#packer.pack(buffer, buffer.predictedShardId, onlyFull, preserveOrder ? 1 : Infinity);
    if (packed.length === 0) return;
    for (const outgoing of packed) {
      if (preserveOrder) buffer.inFlight++;
      this.#enqueue(outgoing);
    }
    if (dispatch) this.#dispatch();
  }

  /** Sends a record through its shard's token bucket (records without a predicted shard skip it). */
  #enqueue(outgoing: OutgoingRecord): void {
    const shardId = outgoing.predictedShardId;
    if (shardId === undefined) {
      this.#collector.push(outgoing);
      return;
    }
    const waitMs = this.#meter.meter(shardId, outgoing);
    if (waitMs !== undefined) this.#armTimer(this.config.clock.now() + waitMs);
  }

  /** Takes a packed record back apart (expired, or its shard closed): it no longer counts as in flight. */
  #unpack(outgoing: OutgoingRecord): readonly PendingRecord[] {
    const buffer = this.#buffers.get(outgoing.routeKey);
    if (this.config.preserveOrder && buffer !== undefined) buffer.inFlight = Math.max(0, buffer.inFlight - 1);
    return outgoing.records;
  }

  #dispatch(): void {
    const now = this.config.clock.now();
    if (this.#inFlightRequests >= this.config.maxConcurrentRequests && this.#collector.size > 0) {
      // Every slot is busy: wake up when the first waiting record would expire.
      this.#armTimer(this.#collector.earliestExpiry());
    }
    while (this.#inFlightRequests < this.config.maxConcurrentRequests && this.#collector.size > 0) {
      const due = this.flushing > 0 || this.#collector.hasFullBatch() || this.#collector.earliestDeadline() <= now;
      if (!due) {
        this.#armTimer(this.#collector.earliestDeadline());
        return;
      }
      const batch = this.#collector.takeBatch();
      this.#inFlightRequests++;
      void this.#sender.send(batch).then((outcome) => {
        this.#inFlightRequests--;
        this.#handleOutcome(batch, outcome);
        this.#dispatch();
      });
    }
  }

  #handleOutcome(batch: readonly OutgoingRecord[], outcome: BatchOutcome): void {
    this.#outcomes.route(batch, outcome);
    if (this.config.preserveOrder) {
      for (const outgoing of batch) {
        const buffer = this.#buffers.get(outgoing.routeKey);
        if (buffer === undefined) continue;
        buffer.inFlight = Math.max(0, buffer.inFlight - 1);
        // A route the map has since replaced kept its records while one was in flight; now they
        // can follow, ahead of anything that arrived under the new route.
        if (buffer.inFlight === 0 && !this.#buffers.isCurrent(buffer.routeKey)) this.#reroute(buffer.take(buffer.size), true, buffer.notBefore);
      }
      this.#onTimer();
    }
  }

  /** Puts records back at the front of their (possibly new) buffers, after a backoff. */
  #retry(records: readonly PendingRecord[], backOff: boolean, home?: ShardBuffer): void {
    const now = this.config.clock.now();
    const groups = new Map<ShardBuffer, PendingRecord[]>();
    for (const record of records) {
      // Less than a millisecond left cannot hold another attempt.
      if (now + 1 >= record.expiresAt) {
        this.host.fail(record, 'Expired', 'record reached its TTL', 'expired');
        continue;
      }
      const buffer = home ?? this.#buffers.bufferFor(record);
      const group = groups.get(buffer);
      if (group === undefined) groups.set(buffer, [record]);
      else group.push(record);
    }
    for (const [buffer, group] of groups) {
      let retries = 0;
      let expiresAt = Infinity;
      for (const record of group) {
        retries = Math.max(retries, record.attempts.length);
        expiresAt = Math.min(expiresAt, record.expiresAt);
      }
      const delay = backOff ? Math.max(1, Math.min(this.#backoff.delayMs(retries), expiresAt - now - 1)) : 0;
      for (const record of group) record.deadline = now + delay;
      buffer.prepend(group);
      buffer.notBefore = Math.max(buffer.notBefore, now + delay);
      this.#armTimer(now + delay);
    }
  }

  #onTimer(): void {
    this.config.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    if (this.#stopped && this.flushing === 0) return;
    const now = this.config.clock.now();
    this.#expireQueued(now);
    for (const [routeKey, buffer] of this.#buffers) {
      if (buffer.size === 0) {
        if (buffer.inFlight === 0 && buffer.notBefore <= now) this.#buffers.delete(routeKey);
        continue;
      }
      if (routeKey === AWAITING_SHARD_MAP) {
        this.#expireHeld(now);
        continue;
      }
      if (buffer.notBefore > now) {
        this.#armTimer(buffer.notBefore);
        continue;
      }
      const due = this.flushing > 0 || buffer.earliestDeadline() <= now;
      if (due || this.#packer.isFull(buffer)) this.#packBuffer(buffer, !due, false);
      if (buffer.size > 0 && !(this.config.preserveOrder && buffer.inFlight > 0)) this.#armTimer(Math.max(buffer.earliestDeadline(), now + 1));
    }
    const meterWaitMs = this.#meter.releaseAll();
    if (meterWaitMs !== undefined) this.#armTimer(now + meterWaitMs);
    this.#dispatch();
  }

  /** Held records (no shard map yet) past their TTL fail as expired, with the last ListShards failure as the cause. */
  #expireHeld(now: number): void {
    const { expired, nextExpiresAt } = this.#buffers.takeExpiredHeld(now);
    for (const record of expired) this.host.fail(record, 'Expired', 'record reached its TTL', 'expired', this.#shardMaps.lastError);
    if (nextExpiresAt !== undefined) this.#armTimer(nextExpiresAt);
  }

  /**
   * ListShards failed for good (a missing stream, access denied). Without a map, every held record
   * fails at once with that error; with one, the map stays in use (PutRecords will say what is wrong).
   */
  #onShardMapFailed(error: KinesisToolkitError): void {
    if (this.#shardMaps.current !== undefined) return;
    const message = `ListShards failed: ${error.message}`;
    // Settling makes room, and puts that were waiting for it are admitted (held) meanwhile: they fail too.
    for (let held = this.#buffers.takeHeld(); held.length > 0; held = this.#buffers.takeHeld()) {
      for (const record of held) this.host.fail(record, error.code, message, 'fatal', error);
    }
  }

  /**
   * Records waiting on a shard's token bucket or for a request slot past their TTL fail as
   * expired; the rest of their aggregate goes back to be re-packed.
   */
  #expireQueued(now: number): void {
    for (const outgoing of this.#collector.takeExpired(now)) this.#retry(this.#unpack(outgoing), false);
    for (const outgoing of this.#meter.takeExpired(now)) this.#retry(this.#unpack(outgoing), false);
  }

  #armTimer(at: number): void {
    if (at >= this.#timerAt || (this.#stopped && this.flushing === 0)) return;
    const clock = this.config.clock;
    clock.clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = clock.setTimeout(() => this.#onTimer(), Math.max(0, at - clock.now()));
  }

  #scheduleRefresh(): void {
    const timer = this.config.clock.setTimeout(() => {
      if (this.#stopped) return;
      void this.#shardMaps.refresh('interval');
      this.#scheduleRefresh();
    }, this.config.shardMapRefreshIntervalMs);
    // The periodic refresh alone must not keep a process alive.
    (timer as { unref?: () => void })?.unref?.();
    this.#refreshTimer = timer;
  }

  /** A new map: records buffered or metered for routes that no longer match an open shard are re-routed. */
  #onShardMap(map: ShardMap, reason: RefreshReason): void {
    // With preserveOrder a route's records wait for its record in flight (see #handleOutcome).
    const moved = this.#buffers.takeStale(map, this.config.preserveOrder);
    const open = new Set(map.shards.map((shard) => shard.shardId));
    for (const outgoing of this.#meter.takeClosed(open)) for (const record of this.#unpack(outgoing)) moved.push(record);
    this.#reroute(moved, false);
    this.host.shardMapRefreshed({ reason, openShards: map.size, reroutedRecords: moved.length });
  }

  /** Moves records to the buffers the current map routes them to; `ahead` puts them before what is there. */
  #reroute(records: readonly PendingRecord[], ahead: boolean, notBefore = 0): void {
    if (records.length === 0) return;
    this.#buffers.place(records, ahead, notBefore);
    this.#armTimer(this.config.clock.now());
  }
}
