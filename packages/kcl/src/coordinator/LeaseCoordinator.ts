import { classifyAwsError, epochMsOf } from '@kinesis-toolkit/core';
import type { ResolvedWorkerOptions } from '../config/WorkerOptions';
import { actualOwnerOf, type Lease } from '../leases/Lease';
import type { LeaseStore } from '../leases/LeaseStore';
import { LeaseLostError } from '../leases/errors';
import type { LeaseRenewal, TakeLeasesEvent } from '../lifecycle/OperationEvents';
import { listening, type LeaseLostEvent, type WorkerEventSink } from '../lifecycle/WorkerEvents';
import { FixedRateTimer } from './FixedRateTimer';
import { GracefulHandoffs, type HandoffStep } from './GracefulHandoffs';
import { LeaseHandle, type LeaseLoss } from './LeaseHandle';
import { LeaseRenewer } from './LeaseRenewer';
import { leaseLossReport } from './leaseLossReport';

/** When a lease's counter or owner last changed, as this worker saw it (on its own clock). */
interface Observation {
  readonly counter: number;
  readonly owner: string | undefined;
  readonly since: number;
}

/** What the coordinator tells the worker. */
export interface LeaseCoordinatorCallbacks {
  acquired(handle: LeaseHandle): void;
  /** A held lease was lost (logged at warn here first); the handle is dropped already. */
  lost(handle: LeaseHandle, event: LeaseLostEvent): void;
  /**
   * Another worker asked for a held lease (a graceful handoff, to balance): the worker lets the
   * processor finish (`shutdownRequested`) and then releases the handle, which hands it over.
   * Called once per handle.
   */
  handoff(handle: LeaseHandle, newOwner: string): void;
  /** The lease table answered with an error retrying cannot fix (access denied, table gone…): the worker must stop. */
  fatal(error: unknown): void;
}

/** Failures in a row of one loop logged at warn from the first; the count is in every line. */
const FAILURE_FIELD = 'consecutiveFailures';

/** What a taking round found and did: the KCL's TakeLeases metrics. */
type TakeStats = { -readonly [K in keyof Omit<TakeLeasesEvent, 'operation' | 'success' | 'timestamp' | 'durationMs' | 'takes'>]: TakeLeasesEvent[K] } & { takes: LeaseRenewal[] };

/** How a lease was taken, as `leaseTaken` reports it. */
type TakeReason = 'unowned' | 'expired' | 'stolen' | 'handedOver' | 'handoffTimedOut';

/**
 * Holds this worker's leases. Two loops at a fixed rate: every `leaseRenewalIntervalMs` one
 * renews the held leases (a conditional write on the counter; see {@link LeaseRenewer}); every `leaseTakingIntervalMs`
 * (by default the same) the other lists the table and
 * takes leases toward an even spread — ceil(unfinished leases ÷ live workers) — first those
 * unowned or expired (counter unchanged for `failoverTimeMs` on this worker's clock), then, if
 * still short, up to `maxLeasesToStealAtOneTime` from the busiest worker — gracefully, by asking
 * for them (see {@link GracefulHandoffs}) unless `gracefulLeaseHandoffTimeoutMs` is 0. They are
 * separate so a slow scan or take never delays a renewal: a late renewal is how a busy worker
 * loses its leases. The renewals are also where this worker hears that another asked for one of
 * its leases (the item comes back with `checkpointOwner` = this worker).
 */
export class LeaseCoordinator {
  readonly held = new Map<string, LeaseHandle>();
  readonly #seen = new Map<string, Observation>();
  readonly #reportedMalformed = new Set<string>();
  /** Shards this worker will not take again: their consumer failed in a way only an operator can fix. */
  readonly #quarantined = new Set<string>();
  readonly #stopping = new AbortController();
  readonly #renewer: LeaseRenewer;
  readonly #takeTimer: FixedRateTimer;
  readonly #handoffs: GracefulHandoffs;
  /** Held leases another worker asked for, whose handoff the worker has been told of. */
  readonly #handingOver = new WeakSet<LeaseHandle>();
  #taking = true;
  #stopped = false;
  #takeFailures = 0;
  /** Leases lost since the last RenewAllLeases event (whatever the cause): its LostLeases. */
  #lostSinceReport = 0;
  #takingRound: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: LeaseStore,
    private readonly config: ResolvedWorkerOptions,
    private readonly events: WorkerEventSink,
    private readonly callbacks: LeaseCoordinatorCallbacks,
  ) {
    this.#renewer = new LeaseRenewer(config, () => this.held.values(), {
      renewed: (handle) => {
        const askedBy = handle.handoffRequestedBy;
        if (askedBy !== undefined) this.#handOver(handle, askedBy);
      },
      fatal: (error) => this.callbacks.fatal(error),
      round: (startedAt, renewals) => {
        if (listening(this.events, 'operation')) void this.#reportRenewals(startedAt, renewals);
      },
    });
    this.#takeTimer = new FixedRateTimer(config.clock, config.leaseTakingIntervalMs);
    this.#handoffs = new GracefulHandoffs({ workerId: config.workerId, failoverTimeMs: config.failoverTimeMs, timeoutMs: config.gracefulLeaseHandoffTimeoutMs });
  }

  /**
   * Runs the first take round (the worker's initial leases), then keeps both loops going.
   * @throws the lease-table error of the first round when retrying cannot fix it (start() fails with it)
   */
  async start(): Promise<void> {
    const now = this.config.clock.now();
    this.#renewer.start();
    let fatal: unknown;
    this.#takingRound = this.#takeRound(now, (error) => (fatal = error));
    await this.#takingRound;
    if (fatal !== undefined) throw fatal;
  }

  /** This worker will not take `shardId` again (its consumer failed for good here; another worker may try). */
  quarantine(shardId: string): void {
    this.#quarantined.add(shardId);
  }

  /**
   * Stops taking new leases (graceful shutdown) and waits for a taking round in flight, so no
   * consumer starts after it resolves. Renewals go on until `stop()`: the leases stay this
   * worker's while its processors finish and checkpoint (a handoff request is still heard).
   */
  async stopTaking(): Promise<void> {
    this.#taking = false;
    this.#takeTimer.stop();
    await this.#takingRound;
  }

  /** Stops both loops and waits for the work in flight (each bounded by its deadline). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    this.#takeTimer.stop();
    await Promise.all([this.#renewer.stop(), this.#takingRound]);
  }

  /** The RenewAllLeases event of a round, once its renewals have settled. */
  async #reportRenewals(startedAt: number, round: readonly Promise<LeaseRenewal>[]): Promise<void> {
    const renewals = await Promise.all(round);
    if (this.#stopped) return;
    // Every loss since the previous report, not only those of this round's renewals: a lease
    // dropped between rounds, or seen taken in a scan, is lost all the same.
    const lostLeases = this.#lostSinceReport;
    this.#lostSinceReport = 0;
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
    this.#takeTimer.next(startedAt, (dueAt) => (this.#takingRound = this.#takeRound(dueAt)));
  }

  /** Tells the worker, once, that another worker asked for a held lease. */
  #handOver(handle: LeaseHandle, newOwner: string): void {
    if (this.#handingOver.has(handle) || handle.lost) return;
    this.#handingOver.add(handle);
    this.config.logger.info({ shardId: handle.shardId, newOwner }, `${newOwner} asked for the lease: handing it over once the processor has finished`);
    this.callbacks.handoff(handle, newOwner);
  }

  /** A held lease was lost: one warn line saying why and how its renewals had gone, then the worker hears it. */
  #lost(handle: LeaseHandle, loss: LeaseLoss): void {
    const { event, fields, message } = leaseLossReport(handle, loss, this.#renewer.status(handle), this.config);
    this.#lostSinceReport++;
    this.config.logger.warn(fields, message);
    this.drop(handle);
    this.callbacks.lost(handle, event);
  }

  /** Forgets a handle (lost, released or finished) and stops its timer. */
  drop(handle: LeaseHandle): void {
    if (this.held.get(handle.shardId) === handle) this.held.delete(handle.shardId);
    this.#renewer.forget(handle);
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
      const handle = this.held.get(lease.leaseKey);
      if (handle === undefined || handle.releasing) continue;
      // A lease we hold that the table says another worker processes has been taken from us; one
      // another worker only asked for (we are its checkpointOwner) is still ours to hand over. (A
      // lease we are releasing — a finished shard, a shutdown, a handoff — may show its release
      // before the answer came back; no owner is a release too: lost at the next write if not ours.)
      const owner = actualOwnerOf(lease);
      if (owner !== undefined && owner !== me && lease.leaseCounter > handle.lease.leaseCounter) handle.markLost(new LeaseLostError(lease.leaseKey, 'observed owner change', undefined, `the table shows ${owner} holding it`), owner);
      else if (lease.checkpointOwner === me && lease.leaseOwner !== undefined && lease.leaseOwner !== me) this.#handOver(handle, lease.leaseOwner);
    }
    const active = leases.filter((lease) => lease.checkpoint.sequenceNumber !== 'SHARD_END');
    const unchangedForMs = (lease: Lease) => now - this.#seen.get(lease.leaseKey)!.since;
    // Handoffs to this worker: take the leases handed over (or whose owner died, or took too long).
    const handoffs = new Map<string, HandoffStep>();
    for (const lease of active) {
      if (this.held.has(lease.leaseKey)) continue;
      const step = this.#handoffs.step(lease, unchangedForMs(lease), now);
      if (step !== undefined) handoffs.set(lease.leaseKey, step);
    }
    for (const lease of active) {
      const step = handoffs.get(lease.leaseKey);
      if (step?.action !== 'take' || !this.#taking || this.#quarantined.has(lease.leaseKey)) continue;
      const reason: TakeReason = step.reason === 'handedOver' ? 'handedOver' : step.reason === 'ownerDead' ? 'expired' : 'handoffTimedOut';
      if (step.reason === 'timedOut') this.config.logger.warn({ shardId: lease.leaseKey, owner: step.from }, `${step.from} did not hand the lease over within ${this.config.gracefulLeaseHandoffTimeoutMs} ms: taking it`);
      await this.#takeOne(lease, reason, stats, step.from);
    }
    // Any lease not held here counts, our own id included: a worker restarted with the same id
    // must take back what its previous incarnation left.
    const expired = (lease: Lease) => lease.leaseOwner === undefined || (!this.held.has(lease.leaseKey) && unchangedForMs(lease) >= this.config.failoverTimeMs);
    const owners = new Map<string, Lease[]>();
    for (const lease of active) {
      if (expired(lease) || lease.leaseOwner === undefined) continue;
      const owned = owners.get(lease.leaseOwner);
      if (owned === undefined) owners.set(lease.leaseOwner, [lease]);
      else owned.push(lease);
    }
    const workerCount = new Set([...owners.keys(), me]).size;
    const target = Math.min(this.config.maxLeasesForWorker, Math.ceil(active.length / workerCount));
    // Leases being handed to this worker are as good as held: asking for more would over-shoot.
    const waiting = [...handoffs.values()].filter((step) => step.action === 'wait').length;
    const mine = active.filter((lease) => this.held.has(lease.leaseKey)).length + waiting;
    let wanted = target - mine;
    stats.numWorkers = workerCount;
    stats.totalLeases = active.length;
    stats.expiredLeases = active.filter((lease) => expired(lease) && !this.held.has(lease.leaseKey)).length;
    stats.neededLeases = Math.max(0, wanted);
    if (wanted <= 0) return;

    const free = (lease: Lease) => expired(lease) && !this.held.has(lease.leaseKey) && !handoffs.has(lease.leaseKey) && !this.#quarantined.has(lease.leaseKey);
    const available = shuffle(active.filter(free), this.config.random);
    stats.leasesToTake = Math.min(wanted, available.length);
    for (const lease of available.slice(0, wanted)) if (this.#taking && (await this.#takeOne(lease, lease.leaseOwner === undefined ? 'unowned' : 'expired', stats))) wanted--;
    if (wanted <= 0 || available.length > 0) return;

    // Nothing free: ask the busiest worker for leases, if it holds more than its share (not one
    // it is already handing over).
    const busiest = [...owners.entries()].filter(([owner]) => owner !== me).sort((a, b) => b[1].length - a[1].length)[0];
    if (busiest === undefined || busiest[1].length <= target) return;
    const steal = Math.min(wanted, this.config.maxLeasesToStealAtOneTime, busiest[1].length - target);
    const stealable = busiest[1].filter((lease) => !this.#quarantined.has(lease.leaseKey) && lease.checkpointOwner === undefined);
    const stealing = shuffle(stealable, this.config.random).slice(0, steal);
    // Asked for (a graceful handoff): taken in a later round, once handed over.
    if (!this.#handoffs.enabled) stats.leasesToTake = stealing.length;
    for (const lease of stealing) {
      if (!this.#taking) break;
      if (this.#handoffs.enabled) await this.#askFor(lease);
      else await this.#takeOne(lease, 'stolen', stats);
    }
  }

  /** Asks the owner of `lease` to hand it over (a graceful handoff); it is taken once it has. */
  async #askFor(lease: Lease): Promise<void> {
    const from = lease.leaseOwner!;
    try {
      const asked = await this.store.initiateGracefulHandoff(lease, this.config.workerId, { signal: this.#stopping.signal });
      const now = this.config.clock.now();
      this.#handoffs.asked(lease.leaseKey, from, now);
      this.#seen.set(lease.leaseKey, { counter: asked.leaseCounter, owner: asked.leaseOwner, since: now });
      this.config.logger.info({ shardId: lease.leaseKey, owner: from }, `asked ${from} to hand the lease over (balancing)`);
    } catch (error) {
      // The owner changed, or another worker asked first: the next round sees how things stand.
      if (error instanceof LeaseLostError || this.#stopped) return;
      if (!classifyAwsError(error).retryable) throw error;
      this.config.logger.warn({ shardId: lease.leaseKey, code: classifyAwsError(error).code, error: String(error) }, 'asking for a lease failed; trying again next round');
    }
  }

  async #takeOne(lease: Lease, how: TakeReason, stats: TakeStats, previousOwner = actualOwnerOf(lease)): Promise<boolean> {
    const sentAt = this.config.clock.now();
    const taken = await this.#tryTake(lease, how, previousOwner, sentAt);
    stats.takes.push({ shardId: lease.leaseKey, success: taken, durationMs: Math.max(0, this.config.clock.now() - sentAt) });
    if (taken) stats.takenLeases++;
    return taken;
  }

  async #tryTake(lease: Lease, how: TakeReason, previousOwner: string | undefined, sentAt: number): Promise<boolean> {
    try {
      const taken = await this.store.takeLease(lease, this.config.workerId, { signal: this.#stopping.signal });
      const handle = new LeaseHandle(
        taken,
        this.store,
        this.config,
        (lost, loss) => this.#lost(lost, loss),
        sentAt,
      );
      this.held.set(taken.leaseKey, handle);
      this.#seen.set(taken.leaseKey, { counter: taken.leaseCounter, owner: taken.leaseOwner, since: this.config.clock.now() });
      this.#handoffs.forget(taken.leaseKey);
      this.events.emit('leaseTaken', { shardId: taken.leaseKey, previousOwner, how });
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
