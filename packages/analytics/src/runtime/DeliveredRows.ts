import { compareSequenceNumbers } from '@kinesis-toolkit/core';

/** Where a row came from: its input record (`shardId/sequenceNumber/subSequenceNumber`) and its index in that record. */
interface SourcePosition {
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly index: number;
}

/**
 * The rows a shard's records have given the engine, as the last row per input shard: a row at or
 * before it is one the engine already has. The KCL delivers at least once — a batch again after a
 * failed `processRecords`, the records after the checkpoint again when this worker takes a shard
 * back that it lost — and the first stage of a repartitioned application may put a row on the
 * intermediate stream twice; counted again, such a row would land in a later window under another id.
 *
 * Row ids are `inputShardId/sequenceNumber/subSequenceNumber` with `#index` when a record holds
 * several rows (see `AnalyticsApplication.rowsOfInputRecord`). An input shard's rows reach a shard
 * in the input shard's order: they are its records, or the intermediate stream's records, put in
 * order per intermediate shard (the producer's `preserveOrder`).
 */
export class DeliveredRows {
  readonly #last = new Map<string, SourcePosition>();

  /** Whether the row is new to the engine; if so, it is remembered as delivered. Ids not of that form are always new. */
  admit(rowId: string): boolean {
    const parsed = parseRowId(rowId);
    if (parsed === undefined) return true;
    const last = this.#last.get(parsed.source);
    if (last !== undefined && comparePositions(parsed.position, last) <= 0) return false;
    this.#last.set(parsed.source, parsed.position);
    return true;
  }
}

function parseRowId(id: string): { source: string; position: SourcePosition } | undefined {
  const match = /^([^/]+)\/(\d+)\/(\d+)(?:#(\d+))?$/.exec(id);
  if (match === null) return undefined;
  return { source: match[1]!, position: { sequenceNumber: match[2]!, subSequenceNumber: Number(match[3]), index: Number(match[4] ?? 0) } };
}

function comparePositions(a: SourcePosition, b: SourcePosition): number {
  return compareSequenceNumbers(a.sequenceNumber, b.sequenceNumber) || a.subSequenceNumber - b.subSequenceNumber || a.index - b.index;
}
