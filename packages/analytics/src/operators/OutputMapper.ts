import type { Compiled } from '../expressions/Compiled';
import { EvaluationError } from '../errors/EvaluationError';
import type { ColumnSchema } from '../plan/Catalog';
import { castValue } from '../types/cast';
import type { SqlValue } from '../types/SqlType';

/** Computes a pump's output row (its select items, cast to the target stream's column types). */
export class OutputMapper {
  readonly #outputs: ((values: readonly SqlValue[], rowtime: number) => SqlValue)[];

  constructor(
    outputs: readonly Compiled[],
    columns: readonly (ColumnSchema | undefined)[],
    private readonly rowtimeItem: Compiled | undefined,
  ) {
    this.#outputs = outputs.map((output, i) => {
      const column = columns[i];
      if (column === undefined) return output.evaluate;
      const { type, notNull, name } = column;
      const same = output.type.name === type.name && type.name !== 'DECIMAL' && type.name !== 'VARCHAR' && type.name !== 'CHAR' && !notNull;
      if (same) return output.evaluate;
      return (values, rowtime) => {
        const value = castValue(output.evaluate(values, rowtime), output.type, type);
        if (value === null && notNull) throw new EvaluationError('NotNullViolation', `column ${name} is NOT NULL, got NULL`);
        return value;
      };
    });
  }

  /** The target row's values from a query output row; `rowtime` is what unqualified ROWTIME reads. */
  values(values: readonly SqlValue[], rowtime: number): SqlValue[] {
    const out = new Array<SqlValue>(this.#outputs.length);
    for (let i = 0; i < out.length; i++) out[i] = this.#outputs[i]!(values, rowtime);
    return out;
  }

  /** The output ROWTIME: a select item named ROWTIME when there is one, else `rowtime`. */
  rowtime(values: readonly SqlValue[], rowtime: number): number {
    if (this.rowtimeItem === undefined) return rowtime;
    const value = this.rowtimeItem.evaluate(values, rowtime);
    if (typeof value !== 'number') throw new EvaluationError('InvalidRowtime', `ROWTIME must be a non-null TIMESTAMP, got ${JSON.stringify(value)}`);
    return value;
  }
}
