import type { ResolvedWorkerOptions } from '../config/WorkerOptions';
import type { LeaseLostEvent } from '../lifecycle/WorkerEvents';
import type { LeaseHandle, LeaseLoss } from './LeaseHandle';

/** How the renewals of a lost lease had gone (from the renewer). */
export interface RenewalStatus {
  readonly consecutiveFailures: number;
  readonly renewalInFlight: boolean;
}

/**
 * What a lost lease tells: the `leaseLost` event (reason, new owner when known, how its renewals
 * had gone) and the warn line's fields and message, which add the options to look at.
 */
export function leaseLossReport(
  handle: LeaseHandle,
  loss: LeaseLoss,
  status: RenewalStatus,
  config: ResolvedWorkerOptions,
): { event: LeaseLostEvent; fields: Record<string, unknown>; message: string } {
  const msSinceLastRenewal = Math.max(0, config.clock.now() - handle.lastWrittenAt);
  const event: LeaseLostEvent = {
    shardId: handle.shardId,
    reason: loss.reason,
    ...(loss.newOwner !== undefined ? { newOwner: loss.newOwner } : {}),
    consecutiveFailures: status.consecutiveFailures,
    renewalInFlight: status.renewalInFlight,
    msSinceLastRenewal,
  };
  const { failoverTimeMs, leaseRenewalIntervalMs } = config;
  return {
    event,
    fields: { ...event, failoverTimeMs, leaseRenewalIntervalMs, error: String(loss.cause) },
    message: `lease lost: ${lossText(event, handle.validityMs)}; another worker may process the shard now`,
  };
}

/** The reason of a loss, as the log line says it. */
function lossText(event: LeaseLostEvent, validityMs: number): string {
  switch (event.reason) {
    case 'renewalDeadlinePassed':
      return `renewal deadline passed (no renewal got through within ${validityMs} ms${event.renewalInFlight ? '; the last one was still waiting for an answer' : ''})`;
    case 'takenByOtherWorker':
      return `lease taken by ${event.newOwner ?? 'another worker'}`;
    case 'leaseChanged':
      return 'the lease changed in the table (a conditional write failed: another worker took or renewed it, or it was deleted)';
  }
}
