import type { DeliveredRow } from './DemoRecord';

/** The columns the demo's PostgreSQL sink fills from each row (the emitter adds the key columns). */
export const POSTGRES_COLUMNS = Object.freeze(['run_id', 'source', 'key', 'n', 'produced_at', 'emitted_at', 'shard_id']);

/**
 * The demo table: one row per stream position, so the PostgresEmitter's
 * `ON CONFLICT (sequence_number, sub_sequence_number) DO NOTHING` makes a re-emitted batch a no-op.
 * `table` must be a plain identifier (the demo makes it: `kt_demo_<run id>`). The sequence number
 * is an unconstrained `numeric`: Kinesis allows up to 129 digits (kinesalite writes 56), more than
 * `numeric(40)` holds.
 */
export function createTableSql(table: string): string {
  assertIdentifier(table);
  return `CREATE TABLE IF NOT EXISTS ${table} (
  run_id text NOT NULL,
  source text NOT NULL,
  key text NOT NULL,
  n bigint NOT NULL,
  produced_at bigint NOT NULL,
  emitted_at bigint NOT NULL,
  shard_id text NOT NULL,
  sequence_number numeric NOT NULL,
  sub_sequence_number integer NOT NULL,
  UNIQUE (sequence_number, sub_sequence_number)
)`;
}

/** Reads every row back under the {@link DeliveredRow} names. */
export function selectRowsSql(table: string): string {
  assertIdentifier(table);
  return `SELECT run_id AS "runId", source, key, n::float8 AS n, produced_at::float8 AS "producedAt", emitted_at::float8 AS "emittedAt",
  shard_id AS "shardId", sequence_number::text AS "sequenceNumber", sub_sequence_number AS "subSequenceNumber" FROM ${table}`;
}

/** A delivered row as the PostgreSQL sink's columns. */
export function toPostgresRow(row: DeliveredRow): Record<string, unknown> {
  return {
    run_id: row.runId,
    source: row.source,
    key: row.key,
    n: row.n,
    produced_at: row.producedAt,
    emitted_at: row.emittedAt,
    shard_id: row.shardId,
  };
}

function assertIdentifier(table: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) throw new TypeError(`table: expected a lower-case identifier (a-z, 0-9, _), got ${JSON.stringify(table)}`);
}
