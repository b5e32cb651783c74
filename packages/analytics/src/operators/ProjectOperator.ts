import type { StreamRow } from '../engine/StreamRow';
import type { CompiledQuery } from '../plan/CompiledQuery';
import type { OutputMapper } from './OutputMapper';
import type { ReferenceTableData } from './JoinStage';
import type { OperatorOutput, PumpOperator } from './PumpOperator';
import { QueryInput } from './QueryInput';

/** A pump without windows: filter, join and project each row as it comes; no state. */
export class ProjectOperator implements PumpOperator {
  readonly #input: QueryInput;

  constructor(
    query: Extract<CompiledQuery, { kind: 'project' }>,
    private readonly mapper: OutputMapper,
    tables: (name: string) => ReferenceTableData,
    private readonly output: OperatorOutput,
    private readonly idPrefix: string,
  ) {
    this.#input = new QueryInput(query, tables, output);
  }

  push(row: StreamRow): void {
    this.#input.forEach(row, (values, match) => {
      try {
        const id = match === 0 ? `${this.idPrefix}${row.id}` : `${this.idPrefix}${row.id}#${match}`;
        this.output.emit({ rowtime: this.mapper.rowtime(values, row.rowtime), values: this.mapper.values(values, row.rowtime), id });
      } catch (error) {
        this.output.error(error, row);
      }
    });
  }

  advance(): undefined {
    return undefined;
  }

  flush(): void {}

  earliestNeededRowtime(): number | undefined {
    return undefined;
  }
}
