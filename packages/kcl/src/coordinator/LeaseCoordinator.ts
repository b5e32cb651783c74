import { RetryPolicy, classifyAwsError, epochMsOf } from '@kinesis-toolkit/core';
import type { ResolvedWorkerOptions } from '../config/WorkerOptions';
import type { Lease } from '../leases/Lease';
import type { LeaseStore } from '../leases/LeaseStore';
import { LeaseLostError } from '../leases/errors';
import type { LeaseRenewal, TakeLeasesEvent } from '../lifecycle/OperationEvents';
import { listening, type WorkerEventSink } from '../lifecycle/WorkerEvents';
import { LeaseHandle } from './LeaseHandle';

/** When a lease's counter or owner last changed, as this worker saw it (on its own clock). */
interface Observation {
  readonly counter: number;
  readonly owner: string | undefined;
  readonly since: number;
}

/** What the coordinator tells the worker. */
export interface LeaseCoordinatorCallbacks {
  acquired(handle: LeaseHandle): void;
  lost(handle: LeaseHandle): void;
  /** The lease table answered with an error retrying cannot fix (access denied, table gone…): the worker must stop. */
  fatal(error: unknown): void;
}

/** What a taking round found and did: the KCL's TakeLeases metrics. */
type TakeStats = { -readonly [K in keyof Omit<TakeLeasesEvent, 'operation' | 'success' | 'timestamp' | 'durationMs' | 'takes'>]: TakeLeasesEvent[K] } & { takes: LeaseRenewal[] };

/** Failures in a row of one loop logged at warn from the first; the count is in every line. */
const FAILURE_FIELD = 'consecutiveFailures';

/**
 * Holds this worker's leases. Two loops at a fixed rate: every `leaseRenewalIntervalMs` one
 * renews the held leases (a conditional write on the counter); every `leaseTakingIntervalMs`
 * (by default the same) the other lists the table and
 * takes leases toward an even spread — ceil(unfinished leases ÷ live workers) — first those
 * unowned or expired (counter unchanged for `failoverTimeMs` on this worker's clock), then, if
 * still short, up to `maxLeasesToStealAtOneTime` from the busiest worker. They are separate so a
 * slow scan or take never delays a renewal: a late renewal is how a busy worker loses its leases.
 */
export class LeaseCoordinator {
  readonly held = new Map<string, LeaseHandle>();
  readonly #seen = new Map<string, Observation>();
  readonly #reportedMalformed = new Set<string>();
  /** Shards this worker will not take again: their consumer failed in a way only an operator can fix. */
  readonly #quarantined = new Set<string>();
  /** The renewal in flight per lease. */
  readonly #renewals = new Map<LeaseHandle, Promise<LeaseRenewal>>();
  readonly #renewalFailures = new Map<LeaseHandle, number>();
  readonly #stopping = new AbortController();
  readonly #renewRetry: RetryPolicy;
  #renewTimer: unknown;
  #takeTimer: unknown;
  #taking = true;
  #stopped = false;
  #takeFailures = 0;
  #takingRound: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: LeaseStore,
    private readonly config: ResolvedWorkerOptions,
    private readonly events: WorkerEventSink,
    private readonly callbacks: LeaseCoordinatorCallbacks,
  ) {
    this.#renewRetry = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: Math.max(100, Math.floor(config.leaseRenewalIntervalMs / 2)), maxAttempts: Infinity }, {
      clock: config.clock,
      random: config.random,
    });
  }

  /**
   * Runs the first take round (the worker's initial leases), then keeps both loops going.
   * @throws the lease-table error of the first round when retrying cannot fix it (start() fails with it)
   */
  async start(): Promise<void> {
    const now = this.config.clock.now();
    const firstRenewal = now + this.config.leaseRenewalIntervalMs;
    this.#at(firstRenewal, () => this.#renewRound(firstRenewal), (timer) => (this.#renewTimer = timer));
    let fatal: unknown;
    this.#takingRound = this.#takeRound(now, (error) => (fatal = error));
    await this.#takingRound;
    if (fatal !== undefined) throw fatal;
  }

  /** This worker will not take `shardId` again (its consumer failed for good here; another worker may try). */
  quarantine(shardId: string): void {
    this.#quarantined.add(shardId);
  }

  /** Stops taking new leases (graceful shutdown); renewals go on until `stop()`. */
  stopTaking(): void {
    this.#taking = false;
  }

  /** Stops both loops and waits for the work in flight (each bounded by its deadline). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    this.config.clock.clearTimeout(this.#renewTimer);
    this.config.clock.clearTimeout(this.#takeTimer);
    await Promise.all([...this.#renewals.values(), this.#takingRound]);
  }

  /**
   * Runs `round` once the clock reads `dueAt` — never earlier. Node's timers count from the event
   * loop's cached time and can fire a little early by this clock; rounds exactly
   * `leaseRenewalIntervalMs` apart keep lease expiry (whole rounds of unchanged counter) exact.
   */
  #at(dueAt: number, round: () => void, setTimer: (handle: unknown) => void): void {
    setTimer(
      this.config.clock.setTimeout(() => {
        if (this.#stopped) return;
        if (this.config.clock.now() < dueAt) this.#at(dueAt, round, setTimer);
        else round();
      }, Math.max(0, dueAt - this.config.clock.now())),
    );
  }

  #renewRound(startedAt: number): void {
    const round: Promise<LeaseRenewal>[] = [];
    for (const handle of this.held.values()) {
      if (this.#renewals.has(handle)) continue; // its renewal is still within its own deadline
      const renewal = this.#renew(handle).finally(() => this.#renewals.delete(handle));
      this.#renewals.set(handle, renewal);
      round.push(renewal);
    }
    if (listening(this.events, 'operation')) void this.#reportRenewals(startedAt, round);
    // Fixed rate, and no waiting for the renewals just started.
    const next = Math.max(startedAt + this.config.leaseRenewalIntervalMs, this.config.clock.now());
    this.#at(next, () => this.#renewRound(next), (timer) => (this.#renewTimer = timer));
  }

  /** The RenewAllLeases event of a round, once its renewals have settled. */
  async #reportRenewals(startedAt: number, round: Promise<LeaseRenewal>[]): Promise<void> {
    const renewals = await Promise.all(round);
    if (this.#stopped) return;
    const lostLeases = renewals.filter((renewal) => !renewal.success && !this.held.has(renewal.shardId)).length;
    this.events.emit('operation', {
      operation: 'RenewAllLeases',
      success: renewals.every((renewal) => renewal.success),
      timestamp: epochMsOf(this.config.clock),
      durationMs: Math.max(0, this.config.clock.now() - startedAt),
      currentLeases: this.held.size,
      lostLeases,
      renewals,
    });
  }

  /** Renews one lease, retrying with backoff until it gets through or its drop time passes. */
  async #renew(handle: LeaseHandle): Promise<LeaseRenewal> {
    const sentAt = this.config.clock.now();
    const outcome = (success: boolean): LeaseRenewal => ({ shardId: handle.shardId, success, durationMs: Math.max(0, this.config.clock.now() - sentAt) });
    try {
      await this.#renewRetry.run(() => handle.renew(), {
        signal: this.#stopping.signal,
        deadlineAt: handle.validUntil,
        isRetryable: (error) => !(error instanceof LeaseLostError) && classifyAwsError(error).retryable && handle.held,
        onRetry: ({ error, delayMs }) => this.#renewalFailed(handle, error, delayMs),
      });
      this.#renewalFailures.delete(handle);
      return outcome(true);
    } catch (error) {
      if (this.#stopped || error instanceof LeaseLostError || handle.lost) return outcome(false);
      if (!classifyAwsError(error).retryable) this.callbacks.fatal(error);
      else this.#renewalFailed(handle, error, undefined);
      return outcome(false);
    }
  }

  #renewalFailed(handle: LeaseHandle, error: unknown, retryInMs: number | undefined): void {
    const failures = (this.#renewalFailures.get(handle) ?? 0) + 1;
    this.#renewalFailures.set(handle, failures);
    const { code } = classifyAwsError(error);
    this.config.logger.warn(
      { shardId: handle.shardId, code, [FAILURE_FIELD]: failures, retryInMs, dropInMs: Math.max(0, handle.validUntil - this.config.clock.now()) },
      `lease renewal failed ${failures} time(s) in a row`,
    );
  }

  async #takeRound(startedAt: number, onFatal: (error: unknown) => void = (error) => this.callbacks.fatal(error)): Promise<void> {
    const stats: TakeStats = { listLeases: { success: false, durationMs: 0 }, numWorkers: 0, neededLeases: 0, leasesToTake: 0, takenLeases: 0, totalLeases: 0, expiredLeases: 0, takes: [] };
    const taking = this.#taking;
    let success = false;
    try {
      if (taking) await this.#take(stats);
      this.#takeFailures = 0;
      success = true;
    } catch (error) {
      if (this.#stopped) return;
      if (!classifyAwsError(error).retryable) {
        onFatal(error);
        return;
      }
      this.#takeFailures++;
      this.config.logger.warn({ code: classifyAwsError(error).code, [FAILURE_FIELD]: this.#takeFailures, error: String(error) }, `lease taking round failed ${this.#takeFailures} time(s) in a row`);
    } finally {
      if (taking && !this.#stopped && listening(this.events, 'operation')) {
        this.events.emit('operation', { operation: 'TakeLeases', success, timestamp: epochMsOf(this.config.clock), durationMs: Math.max(0, this.config.clock.now() - startedAt), ...stats });
      }
    }
    if (this.#stopped) return;
    const next = Math.max(startedAt + this.config.leaseTakingIntervalMs, this.config.clock.now());
    this.#at(next, () => (this.#takingRound = this.#takeRound(next)), (timer) => (this.#takeTimer = timer));
  }

  /** Forgets a handle (lost, released or finished) and stops its timer. */
  drop(handle: LeaseHandle): void {
    if (this.held.get(handle.shardId) === handle) this.held.delete(handle.shardId);
    this.#renewalFailures.delete(handle);
    handle.dispose();
  }

  async #take(stats: TakeStats): Promise<void> {
    const me = this.config.workerId;
    // A counter change seen in this scan happened before the scan was sent: dating it then (not
    // when the answer came) makes expiry exact at whole rounds — with rounds a fixed interval
    // apart, an observation dated at the answer sat right on the failover boundary and was
    // judged a round late about half the time.
    const scannedAt = this.config.clock.now();
    const { leases, malformed } = await this.store.listLeases({ signal: this.#stopping.signal }).catch((error: unknown) => {
      stats.listLeases = { success: false, durationMs: this.config.clock.now() - scannedAt };
      throw error;
    });
    const now = this.config.clock.now();
    stats.listLeases = { success: true, durationMs: now - scannedAt };
    for (const error of malformed) {
      const key = String(error.context.leaseKey);
      if (this.#reportedMalformed.has(key)) continue;
      this.#reportedMalformed.add(key);
      this.config.logger.warn({ leaseKey: key }, error.message);
      this.events.emit('malformedLease', error);
    }
    for (const lease of leases) {
      const previous = this.#seen.get(lease.leaseKey);
      if (previous === undefined || previous.counter !== lease.leaseCounter || previous.owner !== lease.leaseOwner) {
        this.#seen.set(lease.leaseKey, { counter: lease.leaseCounter, owner: lease.leaseOwner, since: scannedAt });
      }
      // A lease we hold that the table says another worker owns has been taken from us. (No owner
      // is our own release — a finished shard, a shutdown — seen before its answer came back.)
      const handle = this.held.get(lease.leaseKey);
      if (handle !== undefined && lease.leaseOwner !== undefined && lease.leaseOwner !== me && lease.leaseCounter > handle.lease.leaseCounter) {
        handle.markLost(new LeaseLostError(lease.leaseKey, 'observed owner change'));
      }
    }
    const active = leases.filter((lease) => lease.checkpoint.sequenceNumber !== 'SHARD_END');
    // Any lease not held here counts, our own id included: a worker restarted with the same id
    // must take back what its previous incarnation left.
    const expired = (lease: Lease) =>
      lease.leaseOwner === undefined || (!this.held.has(lease.leaseKey) && now - this.#seen.get(lease.leaseKey)!.since >= this.config.failoverTimeMs);
    const owners = new Map<string, Lease[]>();
    for (const lease of active) {
      if (expired(lease) || lease.leaseOwner === undefined) continue;
      const owned = owners.get(lease.leaseOwner);
      if (owned === undefined) owners.set(lease.leaseOwner, [lease]);
      else owned.push(lease);
    }
    const workerCount = new Set([...owners.keys(), me]).size;
    const target = Math.min(this.config.maxLeasesForWorker, Math.ceil(active.length / workerCount));
    const mine = active.filter((lease) => this.held.has(lease.leaseKey)).length;
    let wanted = target - mine;
    stats.numWorkers = workerCount;
    stats.totalLeases = active.length;
    stats.expiredLeases = active.filter((lease) => expired(lease) && !this.held.has(lease.leaseKey)).length;
    stats.neededLeases = Math.max(0, wanted);
    if (wanted <= 0) return;

    const available = shuffle(active.filter((lease) => expired(lease) && !this.held.has(lease.leaseKey) && !this.#quarantined.has(lease.leaseKey)), this.config.random);
    stats.leasesToTake = Math.min(wanted, available.length);
    for (const lease of available.slice(0, wanted)) if (this.#taking && (await this.#takeOne(lease, stats))) wanted--;
    if (wanted <= 0 || available.length > 0) return;

    // Nothing free: steal from the busiest worker, if it holds more than its share.
    const busiest = [...owners.entries()].filter(([owner]) => owner !== me).sort((a, b) => b[1].length - a[1].length)[0];
    if (busiest === undefined || busiest[1].length <= target) return;
    const steal = Math.min(wanted, this.config.maxLeasesToStealAtOneTime, busiest[1].length - target);
    const stealable = busiest[1].filter((lease) => !this.#quarantined.has(lease.leaseKey));
    const stealing = shuffle(stealable, this.config.random).slice(0, steal);
    stats.leasesToTake = stealing.length;
    for (const lease of stealing) if (this.#taking) await this.#takeOne(lease, stats);
  }

  async #takeOne(lease: Lease, stats: TakeStats): Promise<boolean> {
    const sentAt = this.config.clock.now();
    const taken = await this.#tryTake(lease, sentAt);
    stats.takes.push({ shardId: lease.leaseKey, success: taken, durationMs: Math.max(0, this.config.clock.now() - sentAt) });
    if (taken) stats.takenLeases++;
    return taken;
  }

  async #tryTake(lease: Lease, sentAt: number): Promise<boolean> {
    try {
      const taken = await this.store.takeLease(lease, this.config.workerId, { signal: this.#stopping.signal });
      const handle = new LeaseHandle(
        taken,
        this.store,
        this.config,
        (lost) => {
          this.drop(lost);
          this.callbacks.lost(lost);
        },
        sentAt,
      );
      this.held.set(taken.leaseKey, handle);
      this.#seen.set(taken.leaseKey, { counter: taken.leaseCounter, owner: taken.leaseOwner, since: this.config.clock.now() });
      this.events.emit('leaseTaken', { shardId: taken.leaseKey, previousOwner: lease.leaseOwner });
      this.callbacks.acquired(handle);
      return true;
    } catch (error) {
      // Another worker took it first: fine, it is being processed.
      if (error instanceof LeaseLostError || this.#stopped) return false;
      // Access denied, the table gone: the round fails with it (and the worker stops).
      if (!classifyAwsError(error).retryable) throw error;
      this.config.logger.warn({ shardId: lease.leaseKey, code: classifyAwsError(error).code, error: String(error) }, 'taking a lease failed; trying again next round');
      return false;
    }
  }
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
