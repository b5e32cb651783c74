import type { Compiled } from '../expressions/Compiled';
import type { Scope } from '../expressions/Scope';
import type { AggregateFunction } from './aggregates';
import type { PartitionKey } from './partitionKeys';

/** A join with a reference table: the ON condition over the joined row, and an index when ON is an equality. */
export interface CompiledJoin {
  readonly type: 'INNER' | 'LEFT';
  readonly table: string;
  /** Where the table's columns start in the joined row, and how many there are. */
  readonly offset: number;
  readonly width: number;
  readonly on: Compiled;
  /** `stream-side expression = table column`: looked up in a hash index instead of scanned. */
  readonly equality?: { readonly probe: Compiled; readonly tableColumn: number };
}

/** One aggregate to maintain: its function, DISTINCT, `*`, and the argument over the joined row. */
export interface AggregateSlot {
  readonly function: AggregateFunction;
  readonly distinct: boolean;
  readonly star: boolean;
  readonly argument?: Compiled;
  /** For sliding queries: which window it is computed over. */
  readonly window?: number;
}

/** A sliding window of a query: partition expressions and its frame. */
export interface SlidingWindowSlot {
  readonly partitionBy: readonly Compiled[];
  readonly frame: { readonly kind: 'range'; readonly ms: number } | { readonly kind: 'rows'; readonly preceding: number };
  readonly description: string;
}

/** What every query kind has: where rows come from, the joins, WHERE, and the output columns. */
export interface QueryBase {
  readonly scope: Scope;
  readonly joins: readonly CompiledJoin[];
  readonly where?: Compiled;
  /** One per target column, in order, over the query's output row. */
  readonly outputs: readonly Compiled[];
  /** A select item named ROWTIME: sets the output row's ROWTIME. */
  readonly rowtime?: Compiled;
  /** For stateful queries: the input-stream keys rows can be spread over workers by (empty: one partition). */
  readonly partitionBy?: readonly PartitionKey[];
}

/** A compiled SELECT, by kind of window. */
export type CompiledQuery =
  | (QueryBase & { readonly kind: 'project' })
  | (QueryBase & {
      readonly kind: 'tumbling';
      /** Group key expressions over the joined row; the output row is keys then aggregates. */
      readonly keys: readonly Compiled[];
      readonly keyDescriptions: readonly string[];
      /** Which keys are ROWTIME windows (STEP/FLOOR of ROWTIME) and their sizes. */
      readonly windowKeys: readonly { readonly key: number; readonly sizeMs: number }[];
      readonly aggregates: readonly AggregateSlot[];
      readonly having?: Compiled;
    })
  | (QueryBase & {
      readonly kind: 'stagger';
      readonly keys: readonly Compiled[];
      readonly keyDescriptions: readonly string[];
      readonly rangeMs: number;
      readonly aggregates: readonly AggregateSlot[];
      readonly having?: Compiled;
    })
  | (QueryBase & { readonly kind: 'sliding'; readonly windows: readonly SlidingWindowSlot[]; readonly aggregates: readonly AggregateSlot[] });
