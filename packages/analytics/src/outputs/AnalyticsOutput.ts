import type { ColumnSchema } from '../plan/Catalog';
import type { StreamRow } from '../engine/StreamRow';

/** A row leaving the application: its stream, the row (with its deterministic id) and the stream's columns. */
export interface OutputRow {
  readonly stream: string;
  readonly row: StreamRow;
  readonly columns: readonly ColumnSchema[];
}

/**
 * Where an output stream's rows go. `write` resolves once the rows are durably delivered (the
 * runtime checkpoints only after that); a rejection makes the KCL retry the batch, and the same
 * rows (same ids) are written again — outputs are at least once.
 */
export interface AnalyticsOutput {
  write(rows: readonly OutputRow[]): Promise<void>;
  /** The application is stopping: flush and release what the output holds. */
  close?(): Promise<void>;
}
