import type { SqlType } from '../types/SqlType';

/** A named column with its type. */
export interface ColumnSchema {
  readonly name: string;
  readonly type: SqlType;
  readonly notNull?: boolean;
}

/** What the SQL can read besides the streams it creates: the input streams and the reference tables. */
export interface Catalog {
  /** In-application input streams (e.g. SOURCE_SQL_STREAM_001), with their columns. */
  readonly sourceStreams: readonly { readonly name: string; readonly columns: readonly ColumnSchema[] }[];
  /** In-application reference tables, loaded from S3 (or a file). */
  readonly referenceTables: readonly { readonly name: string; readonly columns: readonly ColumnSchema[] }[];
}
