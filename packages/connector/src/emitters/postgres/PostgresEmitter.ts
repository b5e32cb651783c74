import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Pool, type PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EmitBatch, Emitter, EmitResult, RejectedItem } from '../Emitter';
import { EmitterError } from '../EmitterError';
import { classifyPostgresError } from './classifyPostgresError';
import { encodeCopyRow } from './copyText';
import { resolvePostgresEmitterOptions, type PostgresEmitterOptions, type PostgresPool, type ResolvedPostgresEmitterOptions } from './PostgresEmitterOptions';
import { quoteIdentifier, quoteTableName } from './quoteIdentifier';
import { emitResult } from '../internal/emitResult';

/** What a {@link PostgresEmitter} writes: a row, column name → value. */
export type PostgresRow = Readonly<Record<string, unknown>>;

interface EncodedRow {
  readonly item: PostgresRow;
  readonly line: string;
}

const STAGING_TABLE = quoteIdentifier('kinesis_toolkit_staging');

/**
 * Loads each batch into a PostgreSQL table, idempotently: in one transaction it creates a TEMP
 * staging table shaped like the target's columns (dropped at commit), streams the rows into it
 * with `COPY … FROM STDIN`, then
 * `INSERT INTO target … SELECT … FROM staging ON CONFLICT (sequence_number, sub_sequence_number) DO NOTHING`.
 * A re-emitted batch therefore adds no row twice.
 *
 * **The target needs a unique key** on the sequence-number and sub-sequence-number columns (plus
 * `itemIndexColumn` if set), e.g.
 * `CREATE TABLE events (…, sequence_number numeric NOT NULL, sub_sequence_number integer NOT NULL, UNIQUE (sequence_number, sub_sequence_number))`;
 * without it the load fails with a non-retryable `PostgresWriteFailed` (SQLSTATE 42P10).
 *
 * Items are objects; `columns` picks their properties (other properties are not written). Values
 * are encoded for COPY's text format (see {@link encodeCopyValue}): JSON for objects, so they fit
 * `json`/`jsonb` columns. A row PostgreSQL refuses (a NOT NULL or CHECK violation, a value of the
 * wrong type) is isolated by splitting the batch, and `rejected` (never retried); the other rows
 * load. Connection trouble, deadlocks and serialization failures throw a retryable error; the
 * pipeline retries (one attempt per `emit`).
 */
export class PostgresEmitter implements Emitter<PostgresRow> {
  readonly #config: ResolvedPostgresEmitterOptions;
  readonly #pool: PostgresPool;
  readonly #ownPool: Pool | undefined;
  readonly #columnList: string;
  /** The columns of a COPY line: the item's, then the key columns. */
  readonly #copyColumns: readonly string[];
  readonly #target: string;
  readonly #conflictKey: string;

  /** @throws InvalidArgumentError for bad options. */
  constructor(options: PostgresEmitterOptions) {
    const config = resolvePostgresEmitterOptions(options);
    this.#config = config;
    this.#ownPool = config.pool === undefined ? new Pool({ connectionString: config.connectionString, max: 2 }) : undefined;
    // node-postgres emits 'error' when an idle pooled connection breaks (a server restart, a
    // network cut); with no listener that crashes the process. The next emit reconnects.
    this.#ownPool?.on('error', (error) => config.logger.warn({ error: String(error) }, 'an idle PostgreSQL connection failed'));
    this.#pool = config.pool ?? this.#ownPool!;
    const keyColumns = [config.sequenceNumberColumn, config.subSequenceNumberColumn, ...(config.itemIndexColumn === undefined ? [] : [config.itemIndexColumn])];
    this.#copyColumns = [...config.columns, ...keyColumns];
    this.#columnList = this.#copyColumns.map((column) => quoteIdentifier(column, 'columns')).join(', ');
    this.#conflictKey = keyColumns.map((column) => quoteIdentifier(column)).join(', ');
    this.#target = quoteTableName(config.table, config.schema);
  }

  async emit(batch: EmitBatch<PostgresRow>): Promise<EmitResult<PostgresRow>> {
    const { rows, invalid } = this.encode(batch);
    if (rows.length === 0) return emitResult([], invalid);
    const refused = await this.load(rows, batch);
    return emitResult([], [...invalid, ...refused]);
  }

  /** Ends the pool the emitter made from `connectionString` (a pool you passed is yours to end). */
  async shutdown(): Promise<void> {
    await this.#ownPool?.end();
  }

  /** Encodes every item as a COPY line with its key columns; items that cannot be encoded are returned as invalid. */
  private encode(batch: EmitBatch<PostgresRow>): { rows: EncodedRow[]; invalid: RejectedItem<PostgresRow>[] } {
    const { columns, itemIndexColumn, logger } = this.#config;
    const rows: EncodedRow[] = [];
    const invalid: RejectedItem<PostgresRow>[] = [];
    const itemsPerPosition = new Map<string, number>();
    batch.items.forEach((item, index) => {
      const source = batch.sources[index]!;
      const position = `${source.sequenceNumber}/${source.subSequenceNumber}`;
      const itemIndex = itemsPerPosition.get(position) ?? 0;
      itemsPerPosition.set(position, itemIndex + 1);
      if (itemIndex > 0 && itemIndexColumn === undefined) {
        throw new EmitterError(
          'InvalidItem',
          `record ${position} produced several items; set itemIndexColumn so that each gets its own key (ON CONFLICT would otherwise skip all but one)`,
          { context: { streamName: batch.streamName, shardId: batch.shardId, sequenceNumber: source.sequenceNumber } },
        );
      }
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        logger.warn({ sequenceNumber: source.sequenceNumber, type: typeof item }, 'item is not a row object');
        invalid.push({ item, error: new EmitterError('InvalidItem', `items[${index}]: expected a row object, got ${typeof item}`, { context: { sequenceNumber: source.sequenceNumber } }) });
        return;
      }
      const keys: unknown[] = [source.sequenceNumber, source.subSequenceNumber, ...(itemIndexColumn === undefined ? [] : [itemIndex])];
      try {
        rows.push({ item, line: encodeCopyRow([...columns.map((column) => item[column]), ...keys], this.#copyColumns) });
      } catch (error) {
        logger.warn({ sequenceNumber: source.sequenceNumber, error: String(error) }, 'item cannot be written');
        invalid.push({ item, error: new EmitterError('InvalidItem', `items[${index}]: cannot be written to PostgreSQL: ${(error as Error).message}`, { cause: error, context: { sequenceNumber: source.sequenceNumber } }) });
      }
    });
    return { rows, invalid };
  }

  /** Loads `rows`; returns the items of rows PostgreSQL refused (with why), splitting the batch to find them. */
  private async load(rows: readonly EncodedRow[], batch: EmitBatch<PostgresRow>): Promise<RejectedItem<PostgresRow>[]> {
    try {
      const inserted = await this.transaction(rows);
      this.#config.logger.debug({ table: this.#config.table, rows: rows.length, inserted, shardId: batch.shardId }, 'loaded rows into PostgreSQL');
      return [];
    } catch (error) {
      const kind = classifyPostgresError(error);
      if (kind === 'row') {
        if (rows.length === 1) {
          this.#config.logger.warn({ table: this.#config.table, error: String(error) }, 'PostgreSQL refused a row');
          const sqlState = (error as { code?: unknown }).code;
          return [{ item: rows[0]!.item, error: new EmitterError('InvalidItem', `PostgreSQL refused the row (SQLSTATE ${String(sqlState)}): ${(error as Error).message}`, { cause: error, context: { table: this.#config.table, sqlState } }) }];
        }
        const middle = Math.ceil(rows.length / 2);
        return [...(await this.load(rows.slice(0, middle), batch)), ...(await this.load(rows.slice(middle), batch))];
      }
      throw new EmitterError('PostgresWriteFailed', `could not load ${rows.length} rows into ${this.#target}: ${String(error)}`, {
        retryable: kind === 'retryable',
        cause: error,
        context: { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId, table: this.#config.table, sqlState: (error as { code?: unknown }).code },
      });
    }
  }

  /** One transaction: staging table, COPY, INSERT … ON CONFLICT DO NOTHING. Returns the rows inserted. */
  private async transaction(rows: readonly EncodedRow[]): Promise<number> {
    // The pool is typed structurally (no @types/pg in the published types); it is a pg pool.
    const client = (await this.#pool.connect()) as unknown as PoolClient;
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        await client.query(`CREATE TEMP TABLE ${STAGING_TABLE} ON COMMIT DROP AS SELECT ${this.#columnList} FROM ${this.#target} WITH NO DATA`);
        await pipeline(Readable.from(rows.map((row) => row.line)), client.query(copyFrom(`COPY ${STAGING_TABLE} (${this.#columnList}) FROM STDIN`)));
        const result = await client.query(
          `INSERT INTO ${this.#target} (${this.#columnList}) SELECT ${this.#columnList} FROM ${STAGING_TABLE} ON CONFLICT (${this.#conflictKey}) DO NOTHING`,
        );
        await client.query('COMMIT');
        return result.rowCount ?? 0;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          // The connection is unusable: do not hand it back to the pool.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }
}
