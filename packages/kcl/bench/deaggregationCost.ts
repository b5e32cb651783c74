/**
 * Where a consumer's CPU per user record goes, without the emulator: aws-kinesis-agg's
 * `deaggregateSync` (what the naive loop runs) against `deaggregate` as the Worker calls it —
 * with the shard's hash-key range, which costs an MD5 of every distinct partition key — and its
 * parts, on the catch-up's kind of aggregates, measured in the same interleaved rounds.
 */
import * as crypto from 'node:crypto';
import type { _Record } from '@aws-sdk/client-kinesis';
import { aggregate, deaggregate, type UserRecord } from '@kinesis-toolkit/aggregation';
import { MAX_HASH_KEY, compareExtendedSequenceNumbers } from '@kinesis-toolkit/core';
import * as awsKinesisAggModule from 'aws-kinesis-agg';
import { compare, formatRatio, formatTable, type Comparison } from '../../../scripts/bench-harness';
import { RecordFactory } from '../../../scripts/RecordFactory';

interface AwsKinesisAgg {
  deaggregateSync(record: _Record, computeChecksums: boolean, afterRecords: (error: Error | null | undefined, userRecords?: readonly unknown[]) => void): void;
}
const awsKinesisAgg = awsKinesisAggModule as unknown as AwsKinesisAgg;

type OneShotHash = (algorithm: string, data: string, outputEncoding: 'buffer') => Buffer;
// The one-shot hash the aggregation package uses where Node has it (≥ 20.12).
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;
const md5 = (text: string): Buffer => (oneShot ? oneShot('md5', text, 'buffer') : crypto.createHash('md5').update(text).digest());

/** User records per timed call: about twenty aggregates' worth. */
const USER_RECORDS_PER_CALL = 8_000;

export interface DeaggregationCost {
  readonly comparison: Comparison;
  readonly userRecordsPerCall: number;
}

/** Measures the per-record costs on aggregates of `aggregateMaxBytes` holding records like the backlog's. */
export async function runDeaggregationCost(dataBytes: number, keyLength: number, aggregateMaxBytes: number): Promise<DeaggregationCost> {
  const users = new RecordFactory(dataBytes, keyLength, 7).many(USER_RECORDS_PER_CALL);
  const sequenceBase = 49_650_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000n;
  const records: _Record[] = aggregate(users, { maxBytes: aggregateMaxBytes }).map((output, i) => ({
    Data: new Uint8Array(output.data),
    PartitionKey: output.partitionKey,
    SequenceNumber: (sequenceBase + BigInt(i) * 1_000n).toString(),
    ApproximateArrivalTimestamp: new Date(),
  }));
  // The whole key space, as one shard's range: every record passes, each still checked.
  const range = { startingHashKey: '0', endingHashKey: MAX_HASH_KEY.toString() };
  const checkpoint = { sequenceNumber: (sequenceBase - 1n).toString(), subSequenceNumber: 0 };
  const afterCheckpoint = (record: UserRecord): boolean => compareExtendedSequenceNumbers(record, checkpoint) > 0;
  let count = 0;
  const countTheirs = (error: Error | null | undefined, userRecords?: readonly unknown[]): void => {
    if (error) throw error;
    count += userRecords!.length;
  };
  const comparison = await compare({
    baseline: {
      name: 'aws-kinesis-agg deaggregateSync (naive loop)',
      run: () => {
        count = 0;
        for (const record of records) awsKinesisAgg.deaggregateSync(record, true, countTheirs);
        return count;
      },
    },
    candidate: {
      name: 'deaggregate + range check (as the Worker)',
      run: () => {
        count = 0;
        for (const record of records) count += deaggregate(record, { shardHashKeyRange: range }).records.length;
        return count;
      },
    },
    references: [
      {
        name: 'deaggregate, no range check',
        run: () => {
          count = 0;
          for (const record of records) count += deaggregate(record).records.length;
          return count;
        },
      },
      {
        name: 'MD5 of each partition key alone',
        run: () => {
          let first = 0;
          for (const user of users) first ^= md5(user.partitionKey)[0]!;
          return first;
        },
      },
      {
        // Until it is past the lease's checkpoint (a restart inside an aggregate), the consumer compares
        // each user record with it: core's compareExtendedSequenceNumbers (by length, then text).
        name: '+ per-record checkpoint compare',
        run: () => {
          count = 0;
          for (const record of records) count += deaggregate(record, { shardHashKeyRange: range }).records.filter(afterCheckpoint).length;
          return count;
        },
      },
    ],
  });
  return { comparison, userRecordsPerCall: users.length };
}

/** CPU per user record of `deaggregate` with the range check, as the Worker calls it, in ns. */
export function workerDeaggregationNs(cost: DeaggregationCost): number {
  return (1e6 / cost.comparison.candidate.callsPerSec / cost.userRecordsPerCall) * 1000;
}

export function describeDeaggregationCost(cost: DeaggregationCost): string {
  const { comparison, userRecordsPerCall } = cost;
  const perRecord = (callsPerSec: number): string => ((1e6 / callsPerSec / userRecordsPerCall) * 1000).toFixed(0);
  const rows = [
    [comparison.candidate.name, perRecord(comparison.candidate.callsPerSec), formatRatio(comparison.candidate)],
    ['aws-kinesis-agg deaggregateSync (naive loop)', perRecord(comparison.baselineCallsPerSec), '1.00×'],
    ...comparison.references.map((reference) => [reference.name, perRecord(reference.callsPerSec), formatRatio(reference)]),
  ];
  return [
    `c) consumer CPU per user record, in process (no emulator), ${userRecordsPerCall} records per call, ${comparison.rounds} interleaved rounds; speed vs aws-kinesis-agg`,
    formatTable(['step', 'ns/user record', 'speed vs theirs (q1–q3)'], rows),
  ].join('\n');
}
