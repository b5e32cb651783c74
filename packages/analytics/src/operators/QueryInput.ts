import type { StreamRow } from '../engine/StreamRow';
import type { QueryBase } from '../plan/CompiledQuery';
import type { SqlValue } from '../types/SqlType';
import { JoinStage, type ReferenceTableData } from './JoinStage';
import type { OperatorOutput } from './PumpOperator';

/**
 * The part every query kind shares: a stream row joined with the reference tables and filtered
 * by WHERE. A row whose join or WHERE cannot be computed goes to error_stream.
 */
export class QueryInput {
  readonly #join: JoinStage;
  readonly #where: QueryBase['where'];

  constructor(
    query: QueryBase,
    tables: (name: string) => ReferenceTableData,
    private readonly output: OperatorOutput,
  ) {
    this.#join = new JoinStage(query.joins, tables, query.scope.width);
    this.#where = query.where;
    this.#joinless = query.joins.length === 0;
  }

  readonly #joinless: boolean;

  /** Calls `each` with every joined row of `row` that passes WHERE (its index among the join's matches). */
  forEach(row: StreamRow, each: (values: readonly SqlValue[], match: number) => void): void {
    const where = this.#where;
    if (this.#joinless) {
      // The common case, without a callback per row.
      let passes: boolean;
      try {
        passes = where === undefined || where.evaluate(row.values, row.rowtime) === true;
      } catch (error) {
        this.output.error(error, row);
        return;
      }
      if (passes) each(row.values, 0);
      return;
    }
    try {
      this.#join.expand(row.values, row.rowtime, (values, match) => {
        if (where === undefined || where.evaluate(values, row.rowtime) === true) each(values, match);
      });
    } catch (error) {
      this.output.error(error, row);
    }
  }
}
