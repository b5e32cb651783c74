import { SHARD_END, TokenBucket, type Clock } from '@kinesis-toolkit/core';
import type { Lease } from '@kinesis-toolkit/kcl';
import type { LeaseLag } from '../leases/leaseView';

/** Measures one lease's lag (in the CLI: `measureLeaseLag`, a GetShardIterator + a GetRecords). */
export type LagProbe = (lease: Lease, signal: AbortSignal) => Promise<LeaseLag>;

/** The latest lag measured for a lease. */
export interface LagReading {
  readonly lag: LeaseLag;
  /** When it was measured (the probe's start), clock milliseconds. */
  readonly measuredAtMs: number;
  /** The checkpoint it was measured at: the lag is of that checkpoint, not of a later one. */
  readonly checkpoint: string;
}

/** Options of a {@link LagTracker}. */
export interface LagTrackerOptions {
  /** A lease is measured again once its reading is this old. */
  readonly intervalMs: number;
  /** Probes started per second over all leases (a token bucket with one second of burst). */
  readonly probesPerSecond: number;
  /** Probes in flight at once. @defaultValue 4 */
  readonly concurrency?: number;
  readonly clock: Clock;
}

/**
 * Keeps each lease's lag fresh without flooding Kinesis: a lease is probed when it has no reading
 * or its reading is older than `intervalMs`, the oldest first, at most `probesPerSecond` probes
 * started per second and `concurrency` in flight; what is not started now stays due for the next
 * {@link LagTracker.refresh}. A SHARD_END checkpoint is `ended` without a call.
 */
export class LagTracker {
  readonly #probe: LagProbe;
  readonly #intervalMs: number;
  readonly #concurrency: number;
  readonly #clock: Clock;
  readonly #bucket: TokenBucket;
  readonly #readings = new Map<string, LagReading>();
  readonly #inFlight = new Set<string>();

  constructor(probe: LagProbe, options: LagTrackerOptions) {
    this.#probe = probe;
    this.#intervalMs = options.intervalMs;
    this.#concurrency = options.concurrency ?? 4;
    this.#clock = options.clock;
    this.#bucket = new TokenBucket(options.probesPerSecond, options.clock, 1);
  }

  /**
   * Starts the probes that are due and allowed now, and forgets leases that are gone. Resolves
   * when the probes it started have finished (a caller that does not want to wait need not).
   */
  refresh(leases: readonly Lease[], signal: AbortSignal): Promise<void> {
    const now = this.#clock.now();
    const keys = new Set(leases.map((lease) => lease.leaseKey));
    for (const key of this.#readings.keys()) if (!keys.has(key)) this.#readings.delete(key);
    const due: Lease[] = [];
    for (const lease of leases) {
      const reading = this.#readings.get(lease.leaseKey);
      if (lease.checkpoint.sequenceNumber === SHARD_END) {
        if (reading?.lag.kind !== 'ended') this.#readings.set(lease.leaseKey, { lag: { kind: 'ended' }, measuredAtMs: now, checkpoint: SHARD_END });
      } else if (!this.#inFlight.has(lease.leaseKey) && (reading === undefined || now - reading.measuredAtMs >= this.#intervalMs)) {
        due.push(lease);
      }
    }
    due.sort((a, b) => (this.#readings.get(a.leaseKey)?.measuredAtMs ?? -Infinity) - (this.#readings.get(b.leaseKey)?.measuredAtMs ?? -Infinity));
    const started: Promise<void>[] = [];
    for (const lease of due) {
      if (signal.aborted || this.#inFlight.size >= this.#concurrency || !this.#bucket.tryTake(1)) break;
      started.push(this.#measure(lease, now, signal));
    }
    return Promise.all(started).then(() => undefined);
  }

  /** The latest reading of a lease; undefined before its first probe finished. */
  readingOf(leaseKey: string): LagReading | undefined {
    return this.#readings.get(leaseKey);
  }

  /** Probes in flight now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  async #measure(lease: Lease, startedAtMs: number, signal: AbortSignal): Promise<void> {
    this.#inFlight.add(lease.leaseKey);
    try {
      let lag: LeaseLag;
      try {
        lag = await this.#probe(lease, signal);
      } catch (error) {
        lag = { kind: 'unknown', why: (error as Error).message };
      }
      if (!signal.aborted) this.#readings.set(lease.leaseKey, { lag, measuredAtMs: startedAtMs, checkpoint: lease.checkpoint.sequenceNumber });
    } finally {
      this.#inFlight.delete(lease.leaseKey);
    }
  }
}
