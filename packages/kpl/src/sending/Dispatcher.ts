import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ShardMap } from '@kinesis-toolkit/aggregation';
import { RetryPolicy, type AwsErrorKind, type KinesisToolkitError } from '@kinesis-toolkit/core';
import type { ResolvedProducerOptions } from '../config/ProducerOptions';
import type { OutgoingRecord, PendingRecord } from '../buffering/PendingRecord';
import { RecordPacker } from '../buffering/RecordPacker';
import { AWAITING_SHARD_MAP, RouteTable } from '../buffering/RouteTable';
import type { ShardBuffer } from '../buffering/ShardBuffer';
import { TtlQueue } from '../buffering/TtlQueue';
import { KeyLanes } from '../ordering/KeyLanes';
import { ShardMeter } from '../ratelimit/ShardMeter';
import { ShardMapProvider, type RefreshReason, type StreamRef } from '../shards/ShardMapProvider';
import { Collector } from './Collector';
import type { DispatcherHost } from './DispatcherHost';
import { OutcomeRouter } from './OutcomeRouter';
import { PutRecordsSender, type BatchOutcome } from './PutRecordsSender';
import { WakeUp } from './WakeUp';

/**
 * Moves admitted user records to Kinesis: routes them to per-shard buffers, packs aggregates,
 * meters them through per-shard token buckets, collects PutRecords batches, sends them with at
 * most `maxConcurrentRequests` in flight, and routes each entry's outcome — success, retry with
 * backoff, or failure — back to the producer. One timer, on the injected clock, drives deadlines,
 * backoff, bucket refills and TTLs; a tick costs what is due, per shard, never a walk over every
 * outstanding record.
 *
 * Until the first shard map exists, records are held (never sent unrouted: they would be neither
 * aggregated across keys nor rate limited) while ListShards is retried with backoff; the map's
 * arrival routes them to their shards. A held record past its TTL expires; a ListShards that
 * fails for good rejects every held record at once.
 *
 * With `preserveOrder`, {@link KeyLanes} decides what may be packed: a key's records wait while
 * an earlier Kinesis record of the key is out, wherever a retry or a new shard map sends either.
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
  readonly #lanes: KeyLanes | undefined;
  readonly #ttl = new TtlQueue();
  readonly #wakeUp: WakeUp;
  #inFlightRequests = 0;
  #stopped = false;
  /** Records left their keys' lanes since the last tick: pack them without waiting for the timer. */
  #released = false;

  constructor(
    private readonly config: ResolvedProducerOptions,
    client: KinesisClient,
    stream: StreamRef,
    private readonly host: DispatcherHost,
  ) {
    this.#lanes = config.preserveOrder ? new KeyLanes() : undefined;
    this.#wakeUp = new WakeUp(config.clock, () => this.#onTimer());
    this.#packer = new RecordPacker(config, this.#lanes);
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
      host: {
        succeed: (record, shardId, sequenceNumber, subSequenceNumber, aggregated) => this.#succeed(record, shardId, sequenceNumber, subSequenceNumber, aggregated),
        fail: (record, code, message, kind, cause) => this.#fail(record, code, message, kind, cause),
        metric: (name, value, shardId, errorCode) => host.metric(name, value, shardId, errorCode),
        shardMapRefreshed: (event) => host.shardMapRefreshed(event),
        requestCompleted: (batch, outcome) => host.requestCompleted?.(batch, outcome),
      },
      shardMaps: this.#shardMaps,
      meter: this.#meter,
      backoff: this.#backoff,
      retry: (records, backOff) => this.#retry(records, backOff),
      finished: (outgoing) => this.#finished(outgoing),
    });
  }

  /** The current shard map, once the first ListShards has answered. */
  get shardMap(): ShardMap | undefined {
    return this.#shardMaps.current;
  }

  /** Lists the shards now (retrying with backoff until it works or fails for good) and then every `shardMapRefreshIntervalMs`. */
  start(): Promise<ShardMap | undefined> {
    this.#shardMaps.refreshEvery(this.config.shardMapRefreshIntervalMs);
    return this.#shardMaps.refresh('start');
  }

  /** Stops the timers; records still buffered stay where they are (the producer flushes first). */
  stop(): void {
    this.#stopped = true;
    this.#shardMaps.stop();
    this.#wakeUp.cancel();
  }

  /** Takes an admitted record: into its buffer, or, with `preserveOrder`, behind its key's record that is out. */
  add(record: PendingRecord): void {
    this.#ttl.add(record);
    if (this.#lanes !== undefined && !this.#lanes.admit(record)) {
      this.#armTimer(record.expiresAt);
      return;
    }
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

  #succeed(record: PendingRecord, shardId: string, sequenceNumber: string, subSequenceNumber: number, aggregated: boolean): void {
    if (record.settled) return;
    this.host.succeed(record, shardId, sequenceNumber, subSequenceNumber, aggregated);
    this.#ttl.remove(record);
    this.#lanes?.settled(record);
  }

  #fail(record: PendingRecord, errorCode: string, errorMessage: string, kind: AwsErrorKind | 'expired', cause?: unknown): void {
    if (record.settled) return;
    this.host.fail(record, errorCode, errorMessage, kind, cause);
    this.#ttl.remove(record);
    this.#lanes?.settled(record);
  }

  /** Packs a buffer's records into Kinesis records and meters them; `dispatch` sends what is due at once. */
  #packBuffer(buffer: ShardBuffer, onlyFull: boolean, dispatch: boolean): void {
    if (buffer.notBefore > this.config.clock.now()) return;
    const packed = this.#packer.pack(buffer, onlyFull);
    if (packed.length === 0) return;
    for (const outgoing of packed) this.#enqueue(outgoing);
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

  /** Takes a Kinesis record apart before it was sent (past a TTL, or its shard closed); the queue holding it skips it. */
  #unpack(outgoing: OutgoingRecord): readonly PendingRecord[] {
    if (outgoing.stage === 'collected') this.#collector.cancel(outgoing);
    outgoing.stage = 'unpacked';
    return outgoing.records;
  }

  /**
   * A Kinesis record's fate is settled — answered, or taken apart — and its records are settled or
   * back in buffers: its keys' waiting records follow them.
   */
  #finished(outgoing: OutgoingRecord): void {
    for (const record of outgoing.records) if (record.outgoing === outgoing) record.outgoing = undefined;
    if (this.#lanes === undefined) return;
    const released = this.#lanes.finished(outgoing);
    if (released.length === 0) return;
    this.#buffers.place(released, false);
    this.#released = true;
    this.#armTimer(this.config.clock.now());
  }

  #dispatch(): void {
    const now = this.config.clock.now();
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
    // Records released from their keys' lanes go out now, not a timer tick later.
    if (this.#released) this.#onTimer();
  }

  /** Puts records back at the front of the buffers their routes are now, after a backoff; those past their TTL fail. */
  #retry(records: readonly PendingRecord[], backOff: boolean): void {
    const now = this.config.clock.now();
    for (const record of records) {
      record.outgoing = undefined;
      // Less than a millisecond left cannot hold another attempt.
      if (now + 1 >= record.expiresAt) this.#fail(record, 'Expired', 'record reached its TTL', 'expired');
    }
    for (const [buffer, group] of this.#buffers.groupByBuffer(records)) {
      let retries = 0;
      let expiresAt = Infinity;
      for (const record of group) {
        retries = Math.max(retries, record.attempts.length);
        expiresAt = Math.min(expiresAt, record.expiresAt);
      }
      const delay = backOff ? Math.max(1, Math.min(this.#backoff.delayMs(retries), expiresAt - now - 1)) : 0;
      // Whole milliseconds, as at admission (small integers, unboxed).
      const deadline = Math.ceil(now + delay);
      for (const record of group) record.deadline = deadline;
      buffer.prepend(group);
      buffer.notBefore = Math.max(buffer.notBefore, now + delay);
      this.#armTimer(now + delay);
    }
  }

  #onTimer(): void {
    this.#wakeUp.cancel();
    this.#released = false;
    if (this.#stopped && this.flushing === 0) return;
    const now = this.config.clock.now();
    this.#expire(now);
    for (const [routeKey, buffer] of this.#buffers) {
      if (buffer.size === 0) {
        if (buffer.notBefore <= now) this.#buffers.delete(routeKey);
        continue;
      }
      // Held records wait for a shard map; their TTLs are the TTL queue's.
      if (routeKey === AWAITING_SHARD_MAP) continue;
      if (buffer.notBefore > now) {
        this.#armTimer(buffer.notBefore);
        continue;
      }
      const due = this.flushing > 0 || buffer.earliestDeadline() <= now;
      if (due || this.#packer.isFull(buffer)) this.#packBuffer(buffer, !due, false);
      if (buffer.size > 0) this.#armTimer(Math.max(buffer.earliestDeadline(), now + 1));
    }
    const meterWaitMs = this.#meter.releaseAll();
    if (meterWaitMs !== undefined) this.#armTimer(now + meterWaitMs);
    this.#armTimer(this.#ttl.nextExpiresAt());
    this.#dispatch();
  }

  /**
   * Records past their TTL fail as expired — wherever they wait: a buffer or a key's lane (they
   * are skipped there later), or a Kinesis record waiting on its shard's rate limiter or for a
   * request slot, which is taken apart, the rest of it going back to be packed again. Held records
   * (no shard map yet) carry the last ListShards failure as the cause. Records in a request wait
   * for its answer.
   */
  #expire(now: number): void {
    const expired = this.#ttl.takeExpired(now);
    if (expired === undefined) return;
    for (const record of expired) {
      if (record.settled) continue;
      const outgoing = record.outgoing;
      if (outgoing === undefined) {
        this.#fail(record, 'Expired', 'record reached its TTL', 'expired', this.#shardMaps.current === undefined ? this.#shardMaps.lastError : undefined);
      } else if (outgoing.stage === 'metered' || outgoing.stage === 'collected') {
        this.#retry(this.#unpack(outgoing), false);
        this.#finished(outgoing);
      }
    }
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
      for (const record of held) this.#fail(record, error.code, message, 'fatal', error);
    }
  }

  #armTimer(at: number): void {
    if (this.#stopped && this.flushing === 0) return;
    this.#wakeUp.at(at);
  }

  /**
   * A new map: Kinesis records waiting on the rate limiter of a shard that closed are taken apart,
   * and records buffered for routes that are no longer open shards are re-routed — those first,
   * both ahead of anything buffered under the new map. Then keys whose record that was is free.
   */
  #onShardMap(map: ShardMap, reason: RefreshReason): void {
    const closed = this.#meter.takeClosed(new Set(map.shards.map((shard) => shard.shardId)));
    const moved: PendingRecord[] = [];
    for (const outgoing of closed) {
      for (const record of this.#unpack(outgoing)) {
        record.outgoing = undefined;
        if (!record.settled) moved.push(record);
      }
    }
    for (const record of this.#buffers.takeStale(map)) moved.push(record);
    this.#buffers.place(moved, true);
    for (const outgoing of closed) this.#finished(outgoing);
    if (moved.length > 0) this.#armTimer(this.config.clock.now());
    this.host.shardMapRefreshed({ reason, openShards: map.size, reroutedRecords: moved.length });
  }
}
