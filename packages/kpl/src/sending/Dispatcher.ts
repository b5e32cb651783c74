import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ShardMap, ShardRange } from '@kinesis-toolkit/aggregation';
import type { ResolvedProducerOptions } from '../config/ProducerOptions';
import type { Attempt } from '../errors/Attempt';
import { addAttempt, type OutgoingRecord, type PendingRecord } from '../buffering/PendingRecord';
import { RecordPacker } from '../buffering/RecordPacker';
import { ShardBuffer } from '../buffering/ShardBuffer';
import type { ProducerMetricName, ShardMapRefreshedEvent } from '../events/ProducerEvents';
import { ShardMeter } from '../ratelimit/ShardMeter';
import { BackoffPolicy } from '../retry/BackoffPolicy';
import { classifyErrorCode, classifyRequestError, errorCodeOf, type ErrorClass } from '../retry/classifyError';
import { ShardMapProvider, type RefreshReason, type StreamRef } from '../shards/ShardMapProvider';
import { Collector } from './Collector';
import { PutRecordsSender, type BatchOutcome } from './PutRecordsSender';


/** What the dispatcher reports back to the producer. */
export interface DispatcherHost {
  succeed(record: PendingRecord, shardId: string, sequenceNumber: string, subSequenceNumber: number, aggregated: boolean): void;
  /** A failure the dispatcher will not retry: `fatal` errors, throttling with `failIfThrottled`, expiry. */
  fail(record: PendingRecord, errorCode: string, errorMessage: string, errorClass: ErrorClass | 'expired', cause?: unknown): void;
  metric(name: ProducerMetricName, value: number, shardId?: string, errorCode?: string): void;
  shardMapRefreshed(event: ShardMapRefreshedEvent): void;
}

/**
 * Moves admitted user records to Kinesis: routes them to per-shard buffers, packs aggregates,
 * meters them through per-shard token buckets, collects PutRecords batches, sends them with at
 * most `maxConcurrentRequests` in flight, and routes each entry's outcome — success, retry with
 * backoff, or failure — back to the producer. One timer, on the injected clock, drives deadlines,
 * backoff and bucket refills.
 */
export class Dispatcher {
  /** While above zero, buffers are packed and batches sent without waiting for deadlines. */
  flushing = 0;
  readonly #buffers = new Map<string, ShardBuffer>();
  readonly #meter: ShardMeter;
  readonly #packer: RecordPacker;
  readonly #collector: Collector;
  readonly #sender: PutRecordsSender;
  readonly #backoff: BackoffPolicy;
  readonly #shardMaps: ShardMapProvider;
  #inFlightRequests = 0;
  #timer: unknown;
  #timerAt = Infinity;
  #refreshTimer: unknown;
  #stopped = false;
  /**
   * Until the first ListShards answers (or this time passes), key-routed buffers are not packed
   * at their deadlines: a burst of puts right after construction would otherwise go out one
   * record per Kinesis record. The map's arrival re-routes them into shard buffers.
   */
  #firstMapDueBy = -Infinity;

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
    this.#backoff = new BackoffPolicy(config.retry.baseDelayMs, config.retry.maxDelayMs, config.random);
    this.#shardMaps = new ShardMapProvider(client, stream, config.clock, config.logger, config.requestTimeoutMs, (map, reason) =>
      this.#onShardMap(map, reason),
    );
  }

  /** The current shard map, once the first ListShards has answered. */
  get shardMap(): ShardMap | undefined {
    return this.#shardMaps.current;
  }

  /** Lists the shards now and then every `shardMapRefreshIntervalMs`. */
  start(): Promise<ShardMap | undefined> {
    this.#scheduleRefresh();
    this.#firstMapDueBy = this.config.clock.now() + this.config.requestTimeoutMs;
    const first = this.#shardMaps.refresh('start');
    void first.finally(() => {
      this.#firstMapDueBy = -Infinity;
      this.#armTimer(this.config.clock.now());
    });
    return first;
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
    const buffer = this.#bufferFor(record);
    buffer.add(record);
    if (this.#packer.isFull(buffer)) this.#packBuffer(buffer, true, true);
    this.#armTimer(this.flushing > 0 ? this.config.clock.now() : record.deadline);
  }

  /** Runs the scheduler now (used when a flush starts). */
  pump(): void {
    this.#onTimer();
  }

  #routeKeyOf(record: PendingRecord): { routeKey: string; shard: ShardRange | undefined } {
    const shard = this.#shardMaps.current?.shardFor(record.hashKey);
    if (shard !== undefined) return { routeKey: shard.shardId, shard };
    if (this.#shardMaps.current !== undefined) void this.#shardMaps.refresh('unknownShard');
    // Without a map, only records that surely share a shard may share an aggregate.
    return { routeKey: record.explicitHashKey !== undefined ? `ehk:${record.explicitHashKey}` : `key:${record.partitionKey}`, shard: undefined };
  }

  #bufferFor(record: PendingRecord): ShardBuffer {
    const { routeKey, shard } = this.#routeKeyOf(record);
    let buffer = this.#buffers.get(routeKey);
    if (buffer === undefined) {
      buffer = new ShardBuffer(routeKey, shard?.shardId);
      this.#buffers.set(routeKey, buffer);
    }
    return buffer;
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
    const base = { startedAt: outcome.startedAt, durationMs: outcome.durationMs };
    this.host.metric('RequestTime', outcome.durationMs);
    this.host.metric('KinesisRecordsPerPutRecordsRequest', batch.length);
    if (!outcome.ok) {
      const code = errorCodeOf(outcome.error);
      this.host.metric('ErrorsByCode', 1, undefined, code);
      const attempt = { ...base, errorCode: code, errorMessage: (outcome.error as Error)?.message ?? String(outcome.error) };
      for (const outgoing of batch) this.#failOutgoing(outgoing, attempt, classifyRequestError(outcome.error), outcome.error);
    } else if (outcome.entries.length !== batch.length) {
      const message = `PutRecords answered ${outcome.entries.length} entries for ${batch.length} records`;
      for (const outgoing of batch) this.#failOutgoing(outgoing, { ...base, errorCode: 'RecordCountMismatch', errorMessage: message }, 'fatal');
    } else {
      batch.forEach((outgoing, i) => {
        const entry = outcome.entries[i]!;
        this.host.metric('UserRecordsPerKinesisRecord', outgoing.records.length, outgoing.predictedShardId);
        if (entry.SequenceNumber !== undefined && entry.ShardId !== undefined) {
          this.host.metric('KinesisRecordsPut', 1, entry.ShardId);
          this.#succeedOutgoing(outgoing, entry.ShardId, entry.SequenceNumber, base);
        } else {
          const code = entry.ErrorCode ?? 'UnknownError';
          if (code === 'ProvisionedThroughputExceededException' && outgoing.predictedShardId !== undefined) this.#meter.slowDown(outgoing.predictedShardId);
          this.host.metric('KinesisRecordsPut', 0, outgoing.predictedShardId);
          this.host.metric('ErrorsByCode', 1, outgoing.predictedShardId, code);
          this.#failOutgoing(outgoing, { ...base, errorCode: code, errorMessage: entry.ErrorMessage ?? '' }, classifyErrorCode(code));
        }
      });
    }
    if (this.config.preserveOrder) {
      for (const outgoing of batch) {
        const buffer = this.#buffers.get(outgoing.routeKey);
        if (buffer === undefined) continue;
        buffer.inFlight = Math.max(0, buffer.inFlight - 1);
        // A route the map has since replaced kept its records while one was in flight; now they
        // can follow, ahead of anything that arrived under the new route.
        if (buffer.inFlight === 0 && !this.#isCurrentRoute(buffer.routeKey)) this.#reroute(buffer.take(buffer.size), true, buffer.notBefore);
      }
      this.#onTimer();
    }
  }

  #succeedOutgoing(outgoing: OutgoingRecord, shardId: string, sequenceNumber: string, base: Attempt): void {
    const predicted = outgoing.predictedShardId;
    if (predicted === undefined || predicted === shardId || !outgoing.aggregated) {
      if (predicted !== undefined && predicted !== shardId) void this.#shardMaps.refresh('wrongShard');
      this.#succeedRecords(outgoing.records, 0, outgoing.records.length, shardId, sequenceNumber, base, outgoing.aggregated);
      return;
    }
    // An aggregate landed on another shard than predicted (the map is stale: a reshard). Its
    // sub-records whose hash keys that shard does not own would be invisible to a KCL consumer:
    // send those again, as the KPL does, once the map knows the shard.
    this.#settleMisplaced(outgoing, shardId, sequenceNumber, base, 1);
  }

  /**
   * Settles an aggregate that landed on `shardId` once the map knows that shard's range. Until it
   * does (the refresh failed or lags), the records stay pending and the check is retried with
   * backoff: calling an out-of-range sub-record delivered would lose it to a KCL consumer.
   */
  #settleMisplaced(outgoing: OutgoingRecord, shardId: string, sequenceNumber: string, base: Attempt, check: number): void {
    void this.#shardMaps.refresh('wrongShard').then((map) => {
      const actual = map?.shards.find((shard) => shard.shardId === shardId);
      if (actual === undefined) {
        const now = this.config.clock.now();
        const expiresAt = Math.min(...outgoing.records.map((record) => record.expiresAt));
        if (now >= expiresAt) {
          for (const record of outgoing.records) {
            addAttempt(record, { ...base, errorCode: 'UnknownShard', errorMessage: `landed on ${shardId}, which no shard map lists` });
            this.host.fail(record, 'Expired', 'record reached its TTL', 'expired');
          }
          return;
        }
        const delay = Math.max(1, Math.min(this.#backoff.delayMs(check), expiresAt - now));
        this.config.clock.setTimeout(() => this.#settleMisplaced(outgoing, shardId, sequenceNumber, base, check + 1), delay);
        return;
      }
      const misplaced: PendingRecord[] = [];
      outgoing.records.forEach((record, index) => {
        if (record.hashKey >= actual.startingHashKey && record.hashKey <= actual.endingHashKey) {
          this.#succeedRecords(outgoing.records, index, index + 1, shardId, sequenceNumber, base, true);
        } else {
          addAttempt(record, { ...base, errorCode: 'WrongShard', errorMessage: `landed on ${shardId}, which does not own its hash key` });
          misplaced.push(record);
        }
      });
      if (misplaced.length > 0) this.#retry(misplaced, false);
    });
  }

  #succeedRecords(records: readonly PendingRecord[], from: number, to: number, shardId: string, sequenceNumber: string, base: Attempt, aggregated: boolean): void {
    // Records sent once share one frozen attempt list: no array per record on the common path.
    let firstTry: readonly Attempt[] | undefined;
    for (let i = from; i < to; i++) {
      const record = records[i]!;
      if (record.attempts.length === 0) record.attempts = firstTry ??= Object.freeze([base]);
      else addAttempt(record, base);
      this.host.succeed(record, shardId, sequenceNumber, aggregated ? i : 0, aggregated);
    }
  }

  #failOutgoing(outgoing: OutgoingRecord, attempt: Attempt, errorClass: ErrorClass, cause?: unknown): void {
    for (const record of outgoing.records) addAttempt(record, attempt);
    const giveUp = errorClass === 'fatal' || (errorClass === 'throttled' && this.config.failIfThrottled);
    if (giveUp) {
      for (const record of outgoing.records) this.host.fail(record, attempt.errorCode!, attempt.errorMessage ?? '', errorClass, cause);
      return;
    }
    // With preserveOrder, retried records go back to the front of the buffer they came from, even
    // if the map has moved on: its newer records then follow them wherever that route goes.
    this.#retry(outgoing.records, true, this.config.preserveOrder ? this.#buffers.get(outgoing.routeKey) : undefined);
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
      const buffer = home ?? this.#bufferFor(record);
      const group = groups.get(buffer) ?? [];
      group.push(record);
      groups.set(buffer, group);
    }
    for (const [buffer, group] of groups) {
      const retries = Math.max(...group.map((record) => record.attempts.length));
      const expiresAt = Math.min(...group.map((record) => record.expiresAt));
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
      if (buffer.notBefore > now) {
        this.#armTimer(buffer.notBefore);
        continue;
      }
      if (buffer.predictedShardId === undefined && now < this.#firstMapDueBy && this.flushing === 0) {
        this.#armTimer(this.#firstMapDueBy);
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

  /**
   * Records waiting on a shard's token bucket or for a request slot past their TTL fail as
   * expired; the rest of their aggregate goes back to be re-packed.
   */
  #expireQueued(now: number): void {
    for (const outgoing of [...this.#collector.takeExpired(now), ...this.#meter.takeExpired(now)]) this.#retry(this.#unpack(outgoing), false);
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
    const open = new Set(map.shards.map((shard) => shard.shardId));
    const moved: PendingRecord[] = [];
    for (const [routeKey, buffer] of this.#buffers) {
      if (open.has(routeKey) || buffer.size === 0) continue;
      // With preserveOrder a route's records wait for its record in flight (see #handleOutcome).
      if (this.config.preserveOrder && buffer.inFlight > 0) continue;
      moved.push(...buffer.take(buffer.size));
    }
    for (const outgoing of this.#meter.takeClosed(open)) moved.push(...this.#unpack(outgoing));
    this.#reroute(moved, false);
    this.host.shardMapRefreshed({ reason, openShards: map.size, reroutedRecords: moved.length });
  }

  /** Whether a route is an open shard of the current map (key routes are current only while no map exists). */
  #isCurrentRoute(routeKey: string): boolean {
    const map = this.#shardMaps.current;
    return map === undefined ? !routeKey.startsWith('shardId') : map.shards.some((shard) => shard.shardId === routeKey);
  }

  /** Moves records to the buffers the current map routes them to; `ahead` puts them before what is there. */
  #reroute(records: readonly PendingRecord[], ahead: boolean, notBefore = 0): void {
    if (records.length === 0) return;
    const groups = new Map<ShardBuffer, PendingRecord[]>();
    for (const record of records) {
      const buffer = this.#bufferFor(record);
      groups.set(buffer, [...(groups.get(buffer) ?? []), record]);
    }
    for (const [buffer, group] of groups) {
      if (ahead) buffer.prepend(group);
      else for (const record of group) buffer.add(record);
      buffer.notBefore = Math.max(buffer.notBefore, notBefore);
    }
    this.#armTimer(this.config.clock.now());
  }
}
