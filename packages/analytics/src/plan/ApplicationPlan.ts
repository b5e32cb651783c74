import type { ColumnSchema } from './Catalog';
import type { CompiledItem } from './compileQuery';
import type { CompiledQuery } from './CompiledQuery';

/** An in-application stream: an input stream, one the SQL creates, or error_stream. */
export interface PlannedStream {
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
  readonly origin: 'input' | 'created' | 'error';
  /** The pumps that read it, in plan order. */
  readonly readers: readonly string[];
  /** The pumps that write it. */
  readonly writers: readonly string[];
}

/**
 * Where several workers must send a pump's input so that each group is computed by one of them:
 * the grouping keys that are not ROWTIME windows. Undefined when the pump keeps no per-group
 * state (projections) or groups by nothing but time.
 */
export interface RepartitionStage {
  readonly keys: readonly string[];
}

/** A pump: its query, compiled, reading one stream and writing another. */
export interface PlannedPump {
  readonly name: string;
  readonly from: string;
  readonly into: string;
  readonly query: CompiledQuery;
  readonly items: readonly CompiledItem[];
  /** The target stream's column for each output (undefined for a column the INSERT leaves out). */
  readonly targetColumns: readonly (ColumnSchema | undefined)[];
  /** Target column positions the select items fill, in order (all of them when INSERT lists none). */
  readonly targetPositions: readonly number[];
  readonly window: string;
  readonly repartition?: RepartitionStage;
}

/** A planned application: streams, pumps in an order where writers come before readers, and its outputs. */
export interface ApplicationPlan {
  readonly streams: ReadonlyMap<string, PlannedStream>;
  readonly pumps: readonly PlannedPump[];
  readonly referenceTables: readonly { readonly name: string; readonly columns: readonly ColumnSchema[] }[];
  /** Streams no pump reads (DESTINATION_SQL_STREAM, error_stream, …): what the application emits. */
  readonly outputStreams: readonly string[];
}

/** The in-application error stream's name and schema (as KDA's). */
export const ERROR_STREAM = 'error_stream';
export const ERROR_STREAM_COLUMNS: readonly ColumnSchema[] = Object.freeze([
  { name: 'ERROR_TIME', type: { name: 'TIMESTAMP' } },
  { name: 'ERROR_LEVEL', type: { name: 'VARCHAR', length: 10 } },
  { name: 'ERROR_NAME', type: { name: 'VARCHAR', length: 32 } },
  { name: 'MESSAGE', type: { name: 'VARCHAR', length: 4096 } },
  { name: 'DATA_ROWTIME', type: { name: 'TIMESTAMP' } },
  { name: 'DATA_ROW', type: { name: 'VARCHAR', length: 49152 } },
  { name: 'PUMP_NAME', type: { name: 'VARCHAR', length: 128 } },
]);
