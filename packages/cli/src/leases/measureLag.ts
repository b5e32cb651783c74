import { awsErrorCodeOf, type AwsClientLike } from '@kinesis-toolkit/core';
import { awsCall } from '../awsCall';
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import type { Lease } from '@kinesis-toolkit/kcl';
import type { LeaseLag } from './leaseView';

/** Leases measured at a time: a big table should not fire hundreds of calls at once. */
const CONCURRENCY = 4;

/**
 * How far each lease's checkpoint is behind its shard's tip: one GetShardIterator at the
 * checkpoint (AFTER_SEQUENCE_NUMBER, or TRIM_HORIZON / LATEST for those sentinels) and one
 * GetRecords with `Limit: 1`, whose `MillisBehindLatest` is the answer. Sub-sequence numbers
 * are ignored: the rest of a partly processed aggregate does not change the lag measurably.
 * Per-lease failures (a shard gone from retention, a throttled call) become `unknown`; check
 * that the stream exists first, since a missing stream would make every lease `unknown`.
 */
export async function measureLag(client: AwsClientLike, streamName: string, leases: readonly Lease[]): Promise<Map<string, LeaseLag>> {
  const lags = new Map<string, LeaseLag>();
  const queue = [...leases];
  const worker = async () => {
    for (let lease = queue.shift(); lease !== undefined; lease = queue.shift()) lags.set(lease.leaseKey, await measureLeaseLag(client, streamName, lease));
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, leases.length) }, worker));
  return lags;
}

/**
 * One lease's lag, as {@link measureLag} measures it: at most one GetShardIterator and one
 * GetRecords (`Limit: 1`), none for a SHARD_END or AT_TIMESTAMP checkpoint. Never rejects: a failed
 * call is an `unknown` lag saying why (an aborted `signal` too).
 */
export async function measureLeaseLag(client: AwsClientLike, streamName: string, lease: Lease, signal?: AbortSignal): Promise<LeaseLag> {
  const checkpoint = lease.checkpoint.sequenceNumber;
  if (checkpoint === 'SHARD_END') return { kind: 'ended' };
  if (checkpoint === 'AT_TIMESTAMP') return { kind: 'unknown', why: 'AT_TIMESTAMP checkpoints do not record the timestamp' };
  const position =
    checkpoint === 'TRIM_HORIZON' || checkpoint === 'LATEST'
      ? { ShardIteratorType: checkpoint as 'TRIM_HORIZON' | 'LATEST' }
      : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, StartingSequenceNumber: checkpoint };
  try {
    const { ShardIterator } = await awsCall(client, new GetShardIteratorCommand({ StreamName: streamName, ShardId: lease.leaseKey, ...position }), 'Kinesis', { signal });
    if (ShardIterator === undefined) return { kind: 'unknown', why: 'no shard iterator' };
    const { MillisBehindLatest } = await awsCall(client, new GetRecordsCommand({ ShardIterator, Limit: 1 }), 'Kinesis', { signal });
    return MillisBehindLatest === undefined ? { kind: 'unknown', why: 'no MillisBehindLatest in the response' } : { kind: 'behind', millisBehindLatest: MillisBehindLatest };
  } catch (error) {
    const code = awsErrorCodeOf(error);
    if (code === 'ResourceNotFoundException') return { kind: 'unknown', why: 'shard not in the stream (past retention?)' };
    return { kind: 'unknown', why: `${code}: ${(error as Error).message}` };
  }
}
