import { RetryPolicy, classifyAwsError } from '@kinesis-toolkit/core';
import type { ResolvedWorkerOptions } from '../config/WorkerOptions';
import { LeaseLostError } from '../leases/errors';
import type { LeaseRenewal } from '../lifecycle/OperationEvents';
import { FixedRateTimer } from './FixedRateTimer';
import type { LeaseHandle } from './LeaseHandle';

/** What the renewer tells its coordinator. */
export interface LeaseRenewerCallbacks {
  /** A renewal got through; the item it returned is in `handle.lease` (it may show a handoff request). */
  renewed(handle: LeaseHandle): void;
  /** The lease table answered with an error retrying cannot fix. */
  fatal(error: unknown): void;
  /** A round started these renewals (each settles with its outcome; the RenewAllLeases metrics). */
  round?(startedAt: number, renewals: readonly Promise<LeaseRenewal>[]): void;
}

/**
 * Renews the held leases every `leaseRenewalIntervalMs`, at a fixed rate. Each lease renews on its
 * own, with its own deadline (its drop time), retried with backoff (full jitter from 100 ms) until
 * it gets through or the lease is dropped; a round starts the renewals whose previous one has
 * finished and waits for none, so one hung renewal cannot hold up another. Each failure is logged
 * at warn with the count in a row and the time left before the lease is dropped.
 */
export class LeaseRenewer {
  readonly #renewals = new Map<LeaseHandle, Promise<LeaseRenewal>>();
  readonly #failures = new Map<LeaseHandle, number>();
  readonly #stopping = new AbortController();
  readonly #retry: RetryPolicy;
  readonly #timer: FixedRateTimer;

  constructor(
    private readonly config: ResolvedWorkerOptions,
    private readonly held: () => Iterable<LeaseHandle>,
    private readonly callbacks: LeaseRenewerCallbacks,
  ) {
    this.#retry = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: Math.max(100, Math.floor(config.leaseRenewalIntervalMs / 2)), maxAttempts: Infinity }, {
      clock: config.clock,
      random: config.random,
    });
    this.#timer = new FixedRateTimer(config.clock, config.leaseRenewalIntervalMs);
  }

  /** The first round is due one interval from now. */
  start(): void {
    this.#timer.next(this.config.clock.now(), (dueAt) => this.#round(dueAt));
  }

  /** Stops the rounds and waits for the renewals in flight (each bounded by its deadline). */
  async stop(): Promise<void> {
    this.#timer.stop();
    this.#stopping.abort();
    await Promise.all(this.#renewals.values());
  }

  /** How a handle's renewals stand: failures in a row, and whether one is waiting for its answer. */
  status(handle: LeaseHandle): { consecutiveFailures: number; renewalInFlight: boolean } {
    return { consecutiveFailures: this.#failures.get(handle) ?? 0, renewalInFlight: this.#renewals.has(handle) };
  }

  /** Forgets a handle's failure count (it was dropped). */
  forget(handle: LeaseHandle): void {
    this.#failures.delete(handle);
  }

  #round(dueAt: number): void {
    const round: Promise<LeaseRenewal>[] = [];
    for (const handle of this.held()) {
      if (this.#renewals.has(handle)) continue; // its renewal is still within its own deadline
      const renewal = this.#renew(handle).finally(() => this.#renewals.delete(handle));
      this.#renewals.set(handle, renewal);
      round.push(renewal);
    }
    this.callbacks.round?.(dueAt, round);
    // Fixed rate, and no waiting for the renewals just started.
    this.#timer.next(dueAt, (next) => this.#round(next));
  }

  /** Renews one lease, retrying with backoff until it gets through or its drop time passes. */
  async #renew(handle: LeaseHandle): Promise<LeaseRenewal> {
    const sentAt = this.config.clock.now();
    const outcome = (success: boolean): LeaseRenewal => ({ shardId: handle.shardId, success, durationMs: Math.max(0, this.config.clock.now() - sentAt) });
    try {
      await this.#retry.run(() => handle.renew(), {
        signal: this.#stopping.signal,
        deadlineAt: handle.validUntil,
        isRetryable: (error) => !(error instanceof LeaseLostError) && classifyAwsError(error).retryable && handle.held,
        onRetry: ({ error, delayMs }) => this.#failed(handle, error, delayMs),
      });
      this.#failures.delete(handle);
      this.callbacks.renewed(handle);
      return outcome(true);
    } catch (error) {
      if (this.#stopping.signal.aborted || error instanceof LeaseLostError || handle.lost) return outcome(false);
      if (!classifyAwsError(error).retryable) this.callbacks.fatal(error);
      else this.#failed(handle, error, undefined);
      return outcome(false);
    }
  }

  #failed(handle: LeaseHandle, error: unknown, retryInMs: number | undefined): void {
    const failures = (this.#failures.get(handle) ?? 0) + 1;
    this.#failures.set(handle, failures);
    const { code } = classifyAwsError(error);
    const dropInMs = Math.max(0, handle.validUntil - this.config.clock.now());
    // No retryInMs: the retry's next wait would end past the drop time, so this renewal gave up.
    const next = retryInMs === undefined ? `; no retry fits before the lease is dropped in ${dropInMs} ms: the next round tries again` : '';
    this.config.logger.warn({ shardId: handle.shardId, code, consecutiveFailures: failures, retryInMs, dropInMs, error: String(error) }, `lease renewal failed ${failures} time(s) in a row${next}`);
  }
}
