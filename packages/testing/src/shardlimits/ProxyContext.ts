import type { Logger } from '@kinesis-toolkit/core';
import type { HttpUpstream } from './HttpUpstream';
import type { ShardBudgets } from './ShardBudgets';
import type { StreamShardCache } from './StreamShardCache';

/** Counters of whole requests, beside the per-shard ones in {@link ShardBudgets}. */
export interface RequestCounters {
  /** PutRecords requests refused whole for their entry count or size. */
  requestsRejected: number;
  /** Requests forwarded without any limit: other operations, CBOR, untracked iterators, malformed input. */
  requestsPassedThrough: number;
}

/** What the read and write limiters of one proxy share. */
export interface ProxyContext {
  readonly upstream: HttpUpstream;
  readonly streams: StreamShardCache;
  readonly budgets: ShardBudgets;
  readonly counters: RequestCounters;
  readonly logger: Logger;
}
