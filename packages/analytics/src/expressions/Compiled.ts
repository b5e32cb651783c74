import type { SqlType, SqlValue } from '../types/SqlType';

/** Evaluates a compiled expression over a row's values and its ROWTIME. */
export type Evaluate = (values: readonly SqlValue[], rowtime: number) => SqlValue;

/** An expression compiled to a closure, with its static type. */
export interface Compiled {
  readonly type: SqlType;
  readonly evaluate: Evaluate;
  /** Set when the value does not depend on the row (literals and what only uses them). */
  readonly constant?: boolean;
}
