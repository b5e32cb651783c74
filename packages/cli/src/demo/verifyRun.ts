import type { DemoEnvironment } from './DemoEnvironment';
import { readPostgresRows, readS3Rows, type SinkContents } from './readSinks';
import type { ShardLineage } from '@kinesis-toolkit/core';
import { distributionOf, type Distribution } from './statistics';
import { verifySink, type SinkVerification } from './verifySink';
import { recordId, type DeliveredRow } from './DemoRecord';

/** The verification part of a {@link DemoSummary}. */
export interface RunVerification {
  readonly sinks: SinkVerification[];
  /** Every distinct record the sinks hold (its first write), for the analytics check. */
  readonly received: readonly DeliveredRow[];
  readonly unreadable: string[];
  readonly latency: Distribution;
  readonly endToEnd: { readonly records: number; readonly spanMs: number };
}

/**
 * Reads every sink of the run back and checks each against the acknowledged records; measures
 * end-to-end latency (each record's first write) and throughput (first put to last write).
 */
export async function verifyRun(environment: DemoEnvironment, acknowledged: ReadonlySet<string>, lineage: ShardLineage, signal?: AbortSignal): Promise<RunVerification> {
  const contents: [name: string, idempotent: boolean, read: Promise<SinkContents>][] = [];
  if (environment.s3 !== undefined) contents.push(['s3', false, readS3Rows(environment.s3.client, environment.s3.bucket, environment.s3.prefix, signal)]);
  if (environment.postgres !== undefined) contents.push(['postgresql', true, readPostgresRows(environment.postgres.connectionString, environment.postgres.table)]);

  const sinks: SinkVerification[] = [];
  const unreadable: string[] = [];
  const firstWrite = new Map<string, DeliveredRow>();
  for (const [name, idempotent, read] of contents) {
    const { rows, unreadable: bad, unreadableCount } = await read;
    if (unreadableCount > 0) unreadable.push(`${name}: ${unreadableCount} rows (e.g. ${bad[0]})`);
    sinks.push(verifySink(name, acknowledged, rows, lineage, { idempotent }));
    for (const row of rows) {
      const id = recordId(row);
      const known = firstWrite.get(id);
      if (known === undefined || row.emittedAt < known.emittedAt) firstWrite.set(id, row);
    }
  }

  let firstPut = Number.POSITIVE_INFINITY;
  let lastWrite = Number.NEGATIVE_INFINITY;
  const latencies: number[] = [];
  for (const row of firstWrite.values()) {
    latencies.push(row.emittedAt - row.producedAt);
    if (row.producedAt < firstPut) firstPut = row.producedAt;
    if (row.emittedAt > lastWrite) lastWrite = row.emittedAt;
  }
  return {
    sinks,
    received: [...firstWrite.values()],
    unreadable,
    latency: distributionOf(latencies),
    endToEnd: { records: firstWrite.size, spanMs: firstWrite.size > 0 ? lastWrite - firstPut : 0 },
  };
}
