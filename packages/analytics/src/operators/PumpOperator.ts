import type { StreamRow } from '../engine/StreamRow';
import type { SqlValue } from '../types/SqlType';

/** How an operator hands on its results: rows into the pump's target stream, failures into error_stream. */
export interface OperatorOutput {
  emit(row: StreamRow): void;
  /** A row that could not be computed; `data` is what it was computed from. */
  error(error: unknown, data: { readonly rowtime: number; readonly values: readonly SqlValue[]; readonly id: string }): void;
}

/** A pump's query as a streaming operator over its input stream's rows (in ROWTIME order). */
export interface PumpOperator {
  /** One row of the input stream. */
  push(row: StreamRow): void;
  /**
   * Stream time has reached `rowtime` with no row: close what ends by then (idle close). Returns
   * the end of the last window closed (undefined when none was, or the operator has no windows).
   */
  advance(rowtime: number): number | undefined;
  /** The input has ended: close every open window. */
  flush(): void;
  /**
   * The earliest ROWTIME an open window still needs, or undefined when nothing is open: the
   * runtime does not checkpoint past the records with that ROWTIME, so a failover rebuilds it.
   */
  earliestNeededRowtime(): number | undefined;
}
