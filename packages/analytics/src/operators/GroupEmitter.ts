import type { AggregateSlot } from '../plan/CompiledQuery';
import type { Compiled } from '../expressions/Compiled';
import type { SqlValue } from '../types/SqlType';
import { createAccumulator, valueKey, type Accumulator } from './Accumulator';
import type { RingQueue } from './RingQueue';
import type { OutputMapper } from './OutputMapper';
import type { OperatorOutput } from './PumpOperator';

/** One group of a tumbling or stagger window: its key values and an accumulator per aggregate. */
export interface Group {
  readonly keyValues: readonly SqlValue[];
  readonly keyText: string;
  readonly accumulators: Accumulator[];
}

/** Creates groups, feeds them rows, and turns a closed group into its output row (HAVING, select list). */
export class GroupEmitter {
  readonly #arguments: (((values: readonly SqlValue[], rowtime: number) => SqlValue) | undefined)[];
  /** Where `add` computes the arguments before touching any accumulator. */
  readonly #scratch: SqlValue[];

  constructor(
    private readonly aggregates: readonly AggregateSlot[],
    private readonly having: Compiled | undefined,
    private readonly mapper: OutputMapper,
    private readonly output: OperatorOutput,
  ) {
    this.#arguments = aggregates.map((slot) => slot.argument?.evaluate);
    this.#scratch = new Array<SqlValue>(aggregates.length).fill(null);
  }

  /** A row's group key: the key expressions' values and a text that is equal exactly when they are. */
  static keyOf(keys: readonly Compiled[], values: readonly SqlValue[], rowtime: number): { keyValues: SqlValue[]; keyText: string } {
    const keyValues: SqlValue[] = new Array(keys.length);
    let keyText = '';
    for (let i = 0; i < keys.length; i++) {
      keyValues[i] = keys[i]!.evaluate(values, rowtime);
      keyText += `${valueKey(keyValues[i]!)}\u0001`;
    }
    return { keyValues, keyText };
  }

  /** The key text of the given key positions (a group's id within its window). */
  static textOf(keyValues: readonly SqlValue[], positions: readonly number[]): string {
    let text = '';
    for (const position of positions) text += `${valueKey(keyValues[position]!)}\u0001`;
    return text;
  }

  /**
   * Closes, oldest first, the queued windows that end by `rowtime` (windows end in queue order);
   * returns the end of the last one closed, undefined when none was.
   */
  static closeEnded<W extends { readonly end: number }>(queue: RingQueue<W>, rowtime: number, close: (window: W) => void): number | undefined {
    let lastEnd: number | undefined;
    for (;;) {
      const first = queue.peekFirst();
      if (first === undefined || first.end > rowtime) return lastEnd;
      lastEnd = first.end;
      close(queue.shift()!);
    }
  }

  create(keyValues: readonly SqlValue[], keyText: string): Group {
    return { keyValues, keyText, accumulators: this.aggregates.map(createAccumulator) };
  }

  /** Computes every aggregate's argument first, so a failing row changes no accumulator. */
  add(group: Group, values: readonly SqlValue[], rowtime: number): void {
    const args = this.#arguments;
    if (args.length === 1) {
      const f = args[0];
      group.accumulators[0]!.add(f === undefined ? null : f(values, rowtime));
      return;
    }
    const computed = this.#scratch;
    for (let i = 0; i < args.length; i++) {
      const f = args[i];
      computed[i] = f === undefined ? null : f(values, rowtime);
    }
    for (let i = 0; i < args.length; i++) group.accumulators[i]!.add(computed[i]!);
  }

  /** Emits the group's row with ROWTIME `end` (unless HAVING rejects it); `id` names window and group. */
  emit(group: Group, end: number, id: string): void {
    const row = [...group.keyValues, ...group.accumulators.map((a) => a.result())];
    try {
      if (this.having !== undefined && this.having.evaluate(row, end) !== true) return;
      this.output.emit({ rowtime: this.mapper.rowtime(row, end), values: this.mapper.values(row, end), id });
    } catch (error) {
      this.output.error(error, { rowtime: end, values: row, id });
    }
  }
}
