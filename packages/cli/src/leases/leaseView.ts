import type { Lease } from '@kinesis-toolkit/kcl';
import { formatTable, type TableColumn } from '../format/table';

/** How far a lease's checkpoint is behind the tip of its shard, when `--lag` measured it. */
export type LeaseLag =
  | { readonly kind: 'behind'; readonly millisBehindLatest: number }
  /** The shard was read to its end (checkpoint SHARD_END). */
  | { readonly kind: 'ended' }
  /** Not measurable: AT_TIMESTAMP checkpoints do not store the timestamp; the shard left retention; a call failed. */
  | { readonly kind: 'unknown'; readonly why: string };

/** One lease of `leases --json`. */
export interface LeaseJson {
  readonly leaseKey: string;
  readonly leaseOwner: string | null;
  readonly leaseCounter: number;
  readonly checkpoint: { readonly sequenceNumber: string; readonly subSequenceNumber: number };
  readonly pendingCheckpoint: { readonly sequenceNumber: string; readonly subSequenceNumber: number } | null;
  readonly ownerSwitchesSinceCheckpoint: number;
  readonly parentShardIds: readonly string[];
  readonly childShardIds: readonly string[];
  readonly hashKeyRange: { readonly startingHashKey: string; readonly endingHashKey: string } | null;
  /** Present with `--lag`: milliseconds behind, `null` when not measurable (see `lag`). */
  readonly millisBehindLatest?: number | null;
  /** Present with `--lag`: `behind` | `ended` | `unknown: why`. */
  readonly lag?: string;
}

const COLUMNS: readonly TableColumn[] = [
  { header: 'SHARD' },
  { header: 'OWNER' },
  { header: 'COUNTER', align: 'right' },
  { header: 'CHECKPOINT' },
  { header: 'SUB', align: 'right' },
  { header: 'PARENTS' },
  { header: 'CHILDREN' },
  { header: 'LAG', align: 'right' },
];

/** Leases in shard-id order (shard ids sort by creation: `shardId-000000000007`). */
export function sortLeases(leases: readonly Lease[]): Lease[] {
  return [...leases].sort((a, b) => (a.leaseKey < b.leaseKey ? -1 : a.leaseKey > b.leaseKey ? 1 : 0));
}

/**
 * The lease table as `leases` prints it: one row per lease; an unowned lease shows `-`; LAG is
 * blank without `--lag`. A pending (prepared) checkpoint is shown after the checkpoint as
 * `(pending SEQ:SUB)`.
 */
export function leaseTable(leases: readonly Lease[], lags?: ReadonlyMap<string, LeaseLag>): string {
  return formatTable(
    COLUMNS,
    leases.map((lease) => [
      lease.leaseKey,
      lease.leaseOwner ?? '-',
      lease.leaseCounter,
      lease.pendingCheckpoint === undefined
        ? lease.checkpoint.sequenceNumber
        : `${lease.checkpoint.sequenceNumber} (pending ${lease.pendingCheckpoint.sequenceNumber}:${lease.pendingCheckpoint.subSequenceNumber})`,
      lease.checkpoint.subSequenceNumber,
      lease.parentShardIds.join(',') || '-',
      lease.childShardIds.join(',') || '-',
      lags === undefined ? undefined : describeLag(lags.get(lease.leaseKey)),
    ]),
  );
}

/** One line under the table: how many leases, who holds how many. */
export function leaseSummary(leases: readonly Lease[]): string {
  const byOwner = new Map<string, number>();
  for (const lease of leases) if (lease.leaseOwner !== undefined) byOwner.set(lease.leaseOwner, (byOwner.get(lease.leaseOwner) ?? 0) + 1);
  const owners = [...byOwner.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([owner, count]) => `${owner}: ${count}`);
  const unowned = leases.length - [...byOwner.values()].reduce((sum, count) => sum + count, 0);
  return `${leases.length} lease${leases.length === 1 ? '' : 's'}; ${byOwner.size} owner${byOwner.size === 1 ? '' : 's'}${owners.length > 0 ? ` (${owners.join(', ')})` : ''}; ${unowned} unowned\n`;
}

/** The `--json` view of one lease. */
export function leaseJson(lease: Lease, lag?: LeaseLag): LeaseJson {
  return {
    leaseKey: lease.leaseKey,
    leaseOwner: lease.leaseOwner ?? null,
    leaseCounter: lease.leaseCounter,
    checkpoint: { sequenceNumber: lease.checkpoint.sequenceNumber, subSequenceNumber: lease.checkpoint.subSequenceNumber },
    pendingCheckpoint:
      lease.pendingCheckpoint === undefined
        ? null
        : { sequenceNumber: lease.pendingCheckpoint.sequenceNumber, subSequenceNumber: lease.pendingCheckpoint.subSequenceNumber },
    ownerSwitchesSinceCheckpoint: lease.ownerSwitchesSinceCheckpoint,
    parentShardIds: [...lease.parentShardIds],
    childShardIds: [...lease.childShardIds],
    hashKeyRange: lease.hashKeyRange === undefined ? null : { ...lease.hashKeyRange },
    ...(lag === undefined
      ? {}
      : {
          millisBehindLatest: lag.kind === 'behind' ? lag.millisBehindLatest : lag.kind === 'ended' ? 0 : null,
          lag: lag.kind === 'unknown' ? `unknown: ${lag.why}` : lag.kind,
        }),
  };
}

/** `12 ms`, `3.4 s`, `5.0 min`, `2.1 h`; `ended`; `?` when unknown. */
export function describeLag(lag: LeaseLag | undefined): string {
  if (lag === undefined || lag.kind === 'unknown') return '?';
  if (lag.kind === 'ended') return 'ended';
  const ms = lag.millisBehindLatest;
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
