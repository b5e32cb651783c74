import { recordId, type DeliveredRow } from './DemoRecord';
import type { ShardLineage } from '@kinesis-toolkit/core';

/** How many example ids a verification keeps for each kind of problem. */
const SAMPLE_SIZE = 5;

/** Options of {@link verifySink}. */
export interface VerifySinkOptions {
  /**
   * Whether the sink promises to hold each stream position once (PostgreSQL keyed by sequence
   * number): then a redelivered row fails the check. S3 objects are named by their batch, and a
   * batch re-read after a takeover may be cut differently, so S3 may hold a row twice. @defaultValue false
   */
  readonly idempotent?: boolean;
}

/** What one sink holds, compared with what the producer had acknowledged. */
export interface SinkVerification {
  readonly sink: string;
  /** Rows read from the sink. */
  readonly rows: number;
  /** Records the producer had acknowledged. */
  readonly produced: number;
  /** Acknowledged records found in the sink at least once. */
  readonly delivered: number;
  /** Acknowledged records not in the sink. */
  readonly lost: number;
  /** Records in the sink that the producer never acknowledged. */
  readonly unexpected: number;
  /** Rows beyond the first of each record: `redelivered + reproduced`. */
  readonly duplicates: number;
  /** Rows at a stream position already seen (a batch written again after a takeover). */
  readonly redelivered: number;
  /** A record at a second stream position (a producer retry that had landed). */
  readonly reproduced: number;
  /** Rows whose `n` is below an `n` earlier in their key's stream order. */
  readonly orderViolations: number;
  /** A few examples of each problem, for the report. */
  readonly samples: { readonly lost: string[]; readonly unexpected: string[]; readonly order: string[]; readonly redelivered: string[] };
  /** Why it failed, one line each; empty when it passed. */
  readonly failures: string[];
  readonly passed: boolean;
}

interface Positioned {
  readonly row: DeliveredRow;
  readonly generation: number;
  readonly sequence: bigint;
}

/**
 * Checks one sink against the acknowledged records: nothing lost, nothing unexpected, per-key
 * order kept, and (for an idempotent sink) no stream position twice.
 *
 * Order is checked in stream order, which the sink rows carry: within a shard, sequence number
 * then sub-sequence number; across a reshard, a parent's records before its children's
 * (`lineage` generations). In that order each key's `n` must never go down — the producer
 * numbered a key's records in `put()` order.
 */
export function verifySink(
  sink: string,
  produced: ReadonlySet<string>,
  rows: readonly DeliveredRow[],
  lineage: ShardLineage,
  options: VerifySinkOptions = {},
): SinkVerification {
  const samples = { lost: [] as string[], unexpected: [] as string[], order: [] as string[], redelivered: [] as string[] };
  const note = (list: string[], text: string) => {
    if (list.length < SAMPLE_SIZE) list.push(text);
  };

  // One entry per stream position; a position seen again is a redelivery.
  const byPosition = new Map<string, DeliveredRow>();
  let redelivered = 0;
  for (const row of rows) {
    const position = `${row.shardId}/${row.sequenceNumber}/${row.subSequenceNumber}`;
    const first = byPosition.get(position);
    if (first === undefined) {
      byPosition.set(position, row);
      continue;
    }
    redelivered++;
    note(samples.redelivered, `${recordId(row)} at ${position}`);
    if (recordId(first) !== recordId(row)) {
      // Two different records at one position: the sink is corrupt, count it as an order problem.
      note(samples.order, `${position} holds both ${recordId(first)} and ${recordId(row)}`);
    }
  }

  const ids = new Set<string>();
  let reproduced = 0;
  let unexpected = 0;
  const byKey = new Map<string, Positioned[]>();
  for (const row of byPosition.values()) {
    const id = recordId(row);
    if (ids.has(id)) reproduced++;
    else ids.add(id);
    if (!produced.has(id)) {
      unexpected++;
      note(samples.unexpected, id);
    }
    const list = byKey.get(row.key) ?? [];
    list.push({ row, generation: lineage.generationOf(row.shardId), sequence: BigInt(row.sequenceNumber) });
    byKey.set(row.key, list);
  }

  let delivered = 0;
  for (const id of produced) {
    if (ids.has(id)) delivered++;
    else note(samples.lost, id);
  }

  let orderViolations = 0;
  for (const [key, list] of byKey) {
    list.sort(streamOrder);
    let highest = -1;
    let highestAt: DeliveredRow | undefined;
    for (const { row } of list) {
      if (row.n < highest) {
        orderViolations++;
        note(samples.order, `${key}: n=${row.n} (${row.shardId} ${row.sequenceNumber}.${row.subSequenceNumber}) after n=${highest} (${highestAt!.shardId} ${highestAt!.sequenceNumber}.${highestAt!.subSequenceNumber})`);
      } else {
        highest = row.n;
        highestAt = row;
      }
    }
  }

  const lost = produced.size - delivered;
  const failures: string[] = [];
  if (lost > 0) failures.push(`${lost} acknowledged records missing (e.g. ${samples.lost.join(', ')})`);
  if (unexpected > 0) failures.push(`${unexpected} records the producer never acknowledged (e.g. ${samples.unexpected.join(', ')})`);
  if (orderViolations > 0) failures.push(`${orderViolations} per-key order violations (e.g. ${samples.order[0]})`);
  if (options.idempotent && redelivered > 0) failures.push(`${redelivered} stream positions held twice by a sink that should dedupe them (e.g. ${samples.redelivered[0]})`);
  return {
    sink,
    rows: rows.length,
    produced: produced.size,
    delivered,
    lost,
    unexpected,
    duplicates: redelivered + reproduced,
    redelivered,
    reproduced,
    orderViolations,
    samples,
    failures,
    passed: failures.length === 0,
  };
}

function streamOrder(a: Positioned, b: Positioned): number {
  if (a.generation !== b.generation) return a.generation - b.generation;
  if (a.row.shardId !== b.row.shardId) return a.row.shardId < b.row.shardId ? -1 : 1;
  if (a.sequence !== b.sequence) return a.sequence < b.sequence ? -1 : 1;
  return a.row.subSequenceNumber - b.row.subSequenceNumber;
}
