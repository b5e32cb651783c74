import type { LineageNode } from './lineageLayout';
import type { ShardThroughput } from './ThroughputWindows';
import type { WorkerView } from './WorkerTracker';

/** A lease as the page shows it. */
export interface LeaseView {
  readonly leaseKey: string;
  readonly owner: string | null;
  readonly counter: number;
  readonly checkpoint: string;
  readonly subSequenceNumber: number;
  readonly pendingCheckpoint: string | null;
  readonly ownerSwitchesSinceCheckpoint: number;
  /** The latest lag measured, or null before the first measurement. */
  readonly lag: LagView | null;
}

/** A lease's lag: `millisBehindLatest` for `behind`, `why` for `unknown`. */
export interface LagView {
  readonly kind: 'behind' | 'ended' | 'unknown';
  readonly millisBehindLatest: number | null;
  readonly why: string | null;
  readonly measuredAtMs: number;
  /** The checkpoint the lag was measured at (it may have moved on since). */
  readonly checkpoint: string;
}

/** A shard: where it sits in the lineage, its lease (if the table has one), its throughput. */
export interface ShardView extends LineageNode {
  readonly lease: LeaseView | null;
  readonly throughput: ShardThroughput | null;
}

/** Something the dashboard could not read; shown until that source reads again. */
export interface DashboardProblem {
  readonly source: 'shards' | 'leases' | 'throughput';
  readonly message: string;
  readonly sinceMs: number;
}

/** Everything the page shows, sent whole on every update (Server-Sent Events, `/api/snapshot`). */
export interface DashboardSnapshot {
  readonly streamName: string;
  readonly applicationName: string;
  /** Clock ms when this snapshot was made: the page shows ages relative to it. */
  readonly takenAtMs: number;
  readonly refreshIntervalMs: number;
  /** Last successful reads; null before the first. */
  readonly shardsReadAtMs: number | null;
  readonly leasesReadAtMs: number | null;
  /** Parents before children, then by hash range. */
  readonly shards: readonly ShardView[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  readonly columns: number;
  /** Leases whose shard is not in the stream's listing (past retention, or another stream's table). */
  readonly orphanLeases: readonly LeaseView[];
  readonly workers: readonly WorkerView[];
  readonly throughput: {
    readonly source: 'tail' | 'off';
    readonly measures: 'incoming' | 'processed' | null;
    readonly description: string;
    readonly bucketMs: number;
    readonly windowMs: number;
  };
  readonly problems: readonly DashboardProblem[];
  /** AWS calls the dashboard sent in the last minute, by operation. */
  readonly calls: readonly { readonly operation: string; readonly perMinute: number }[];
}
