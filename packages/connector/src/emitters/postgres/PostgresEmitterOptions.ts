import { InvalidArgumentError, NOOP_LOGGER, rejectUnknownOptions, requireString, type Logger, givenOptions, requireLogger, requireMethods } from '@kinesis-toolkit/core';

/**
 * What a {@link PostgresEmitter} uses of a `pg` pool — a `pg.Pool` fits. Declared here, not taken
 * from `@types/pg`, so that the connector's published types compile without it.
 */
export interface PostgresPool {
  connect(): Promise<PostgresPoolClient>;
}

/** What a {@link PostgresEmitter} uses of a pooled `pg` client (a `pg.PoolClient` fits). */
export interface PostgresPoolClient {
  query(text: string): Promise<{ readonly rowCount: number | null }>;
  release(error?: Error | boolean): void;
}

// Table, schema and column names are always quoted, so case, spaces and punctuation are kept as
// written (and cannot inject SQL). PostgreSQL silently truncates a name longer than 63 bytes, so a
// longer one is refused here rather than written to a different table; control characters are refused too.
const IDENTIFIER = {
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  pattern: /^[^\u0000-\u001f\u007f]+$/,
  expected: 'a PostgreSQL identifier (1 to 63 bytes, no control characters; it is quoted, so case and punctuation are kept)',
};

function requireIdentifier(name: string, value: unknown): string {
  const text = requireString(name, value, IDENTIFIER);
  if (Buffer.byteLength(text) > 63) throw new InvalidArgumentError(name, IDENTIFIER.expected, value);
  return text;
}

/** Options of {@link PostgresEmitter}; `table`, `columns` and one of `pool`/`connectionString` are required. */
export interface PostgresEmitterOptions {
  /** A `pg.Pool` to borrow connections from; you own it (the emitter does not end it). */
  readonly pool?: PostgresPool;
  /** Or a connection string: the emitter makes its own small pool and ends it at `shutdown()`. */
  readonly connectionString?: string;
  /** The target table. */
  readonly table?: string;
  /** Its schema. @defaultValue the connection's search_path */
  readonly schema?: string;
  /** The columns each item (an object) fills, by property name; a missing property is NULL. */
  readonly columns?: readonly string[];
  /** The column that gets the record's sequence number (`numeric`, `varchar(128)` or `text`; Kinesis sequence numbers have up to 128 bits, ~56 digits). @defaultValue `'sequence_number'` */
  readonly sequenceNumberColumn?: string;
  /** The column that gets the sub-sequence number (an integer type). @defaultValue `'sub_sequence_number'` */
  readonly subSequenceNumberColumn?: string;
  /**
   * A column for the item's index among the items its record produced (0, 1, …), part of the
   * key. Needed only when the transformer makes several items of one record.
   * @defaultValue undefined (one item per record; more is an `InvalidItem` error)
   */
  readonly itemIndexColumn?: string;
  /** @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link PostgresEmitterOptions}. */
export const POSTGRES_EMITTER_DEFAULTS = Object.freeze({
  sequenceNumberColumn: 'sequence_number',
  subSequenceNumberColumn: 'sub_sequence_number',
  logger: NOOP_LOGGER as Logger,
});

/** The complete, validated configuration of a {@link PostgresEmitter}. */
export interface ResolvedPostgresEmitterOptions {
  readonly pool?: PostgresPool;
  readonly connectionString?: string;
  readonly table: string;
  readonly schema?: string;
  readonly columns: readonly string[];
  readonly sequenceNumberColumn: string;
  readonly subSequenceNumberColumn: string;
  readonly itemIndexColumn?: string;
  readonly logger: Logger;
}

/**
 * Validates {@link PostgresEmitterOptions} and fills in the defaults.
 * @throws InvalidArgumentError naming the bad option.
 */
export function resolvePostgresEmitterOptions(options: PostgresEmitterOptions): ResolvedPostgresEmitterOptions {
  const given = givenOptions('options', options);
  rejectUnknownOptions('', options, [...Object.keys(POSTGRES_EMITTER_DEFAULTS), 'pool', 'connectionString', 'table', 'schema', 'columns', 'itemIndexColumn']);
  const merged = { ...POSTGRES_EMITTER_DEFAULTS, ...given };
  if ((merged.pool === undefined) === (merged.connectionString === undefined)) {
    throw new InvalidArgumentError('pool / connectionString', 'exactly one of them', merged.pool === undefined ? 'neither' : 'both');
  }
  if (merged.pool !== undefined) requireMethods('pool', merged.pool, ['connect'], 'a pg.Pool');
  if (merged.connectionString !== undefined) requireString('connectionString', merged.connectionString);
  requireIdentifier('table', merged.table);
  if (merged.schema !== undefined) requireIdentifier('schema', merged.schema);
  const columns = merged.columns;
  if (!Array.isArray(columns) || columns.length === 0) throw new InvalidArgumentError('columns', 'a non-empty array of column names', columns);
  columns.forEach((column, index) => requireIdentifier(`columns[${index}]`, column));
  const keyColumns = [merged.sequenceNumberColumn, merged.subSequenceNumberColumn, merged.itemIndexColumn];
  requireIdentifier('sequenceNumberColumn', keyColumns[0]);
  requireIdentifier('subSequenceNumberColumn', keyColumns[1]);
  if (keyColumns[2] !== undefined) requireIdentifier('itemIndexColumn', keyColumns[2]);
  const all = [...columns, ...keyColumns.filter((column) => column !== undefined)];
  const duplicate = all.find((column, index) => all.indexOf(column) !== index);
  if (duplicate !== undefined) throw new InvalidArgumentError('columns', 'distinct column names (the key columns are added by the emitter)', `${JSON.stringify(duplicate)} twice`);
  requireLogger('logger', merged.logger);
  return Object.freeze({ ...merged, columns: Object.freeze([...columns]) }) as ResolvedPostgresEmitterOptions;
}
