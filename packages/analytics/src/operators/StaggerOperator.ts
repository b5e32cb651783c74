import type { StreamRow } from '../engine/StreamRow';
import type { CompiledQuery } from '../plan/CompiledQuery';
import { GroupEmitter, type Group } from './GroupEmitter';
import type { ReferenceTableData } from './JoinStage';
import type { OutputMapper } from './OutputMapper';
import type { OperatorOutput, PumpOperator } from './PumpOperator';
import { QueryInput } from './QueryInput';
import { RingQueue } from './RingQueue';

type Stagger = Extract<CompiledQuery, { kind: 'stagger' }>;

interface StaggerWindow {
  readonly group: Group;
  readonly opened: number;
  readonly end: number;
}

/**
 * WINDOWED BY STAGGER: a window per partition key, opened by the key's first row and closed
 * `range` later, emitting one row with ROWTIME = open + range. All windows have the same length
 * and open in ROWTIME order, so they also close in that order: a FIFO holds them.
 */
export class StaggerOperator implements PumpOperator {
  readonly #input: QueryInput;
  readonly #groups: GroupEmitter;
  readonly #open = new Map<string, StaggerWindow>();
  readonly #queue = new RingQueue<StaggerWindow>();

  constructor(
    private readonly query: Stagger,
    mapper: OutputMapper,
    tables: (name: string) => ReferenceTableData,
    private readonly output: OperatorOutput,
    private readonly idPrefix: string,
  ) {
    this.#input = new QueryInput(query, tables, output);
    this.#groups = new GroupEmitter(query.aggregates, query.having, mapper, output);
  }

  push(row: StreamRow): void {
    this.advance(row.rowtime);
    this.#input.forEach(row, (values) => {
      try {
        const { keyValues, keyText } = GroupEmitter.keyOf(this.query.keys, values, row.rowtime);
        const window = this.#open.get(keyText);
        if (window !== undefined) {
          this.#groups.add(window.group, values, row.rowtime);
          return;
        }
        const group = this.#groups.create(keyValues, keyText);
        this.#groups.add(group, values, row.rowtime);
        const opened: StaggerWindow = { group, opened: row.rowtime, end: row.rowtime + this.query.rangeMs };
        this.#open.set(keyText, opened);
        this.#queue.push(opened);
      } catch (error) {
        this.output.error(error, row);
      }
    });
  }

  advance(rowtime: number): number | undefined {
    return GroupEmitter.closeEnded(this.#queue, rowtime, (window) => this.#close(window));
  }

  flush(): void {
    while (this.#queue.size > 0) this.#close(this.#queue.shift()!);
  }

  earliestNeededRowtime(): number | undefined {
    return this.#queue.peekFirst()?.opened;
  }

  #close(window: StaggerWindow): void {
    this.#open.delete(window.group.keyText);
    this.#groups.emit(window.group, window.end, `${this.idPrefix}${window.opened}|${window.group.keyText}`);
  }
}
