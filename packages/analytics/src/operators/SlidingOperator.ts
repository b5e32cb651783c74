import type { StreamRow } from '../engine/StreamRow';
import type { CompiledQuery, SlidingWindowSlot } from '../plan/CompiledQuery';
import type { SqlValue } from '../types/SqlType';
import { valueKey } from './Accumulator';
import type { ReferenceTableData } from './JoinStage';
import type { OutputMapper } from './OutputMapper';
import type { OperatorOutput, PumpOperator } from './PumpOperator';
import { QueryInput } from './QueryInput';
import { RingQueue } from './RingQueue';
import { createSlidingAggregate, type SlidingAggregate } from './SlidingAggregate';

type Sliding = Extract<CompiledQuery, { kind: 'sliding' }>;

interface Entry {
  readonly rowtime: number;
  readonly sequence: number;
  readonly args: readonly SqlValue[];
}

interface Partition {
  readonly entries: RingQueue<Entry>;
  readonly aggregates: SlidingAggregate[];
}

/** How often (in rows) partitions that a RANGE window has left behind are dropped. */
const SWEEP_EVERY_ROWS = 16_384;

/**
 * Aggregates OVER sliding windows: one output row per input row, each aggregate computed over
 * that row's partition within `RANGE INTERVAL … PRECEDING` (rows with ROWTIME > current − range)
 * or `ROWS n PRECEDING` (the row and the n before it). State is incremental per window and
 * partition: rows enter at the back and leave from the front; nothing is rescanned.
 */
export class SlidingOperator implements PumpOperator {
  readonly #input: QueryInput;
  readonly #partitions: Map<string, Partition>[];
  /** Per window: the indexes of the query's aggregates computed over it. */
  readonly #aggregatesOf: number[][];
  #sequence = 0;
  #lastRowtime = -Infinity;

  constructor(
    private readonly query: Sliding,
    private readonly mapper: OutputMapper,
    tables: (name: string) => ReferenceTableData,
    private readonly output: OperatorOutput,
    private readonly idPrefix: string,
  ) {
    this.#input = new QueryInput(query, tables, output);
    this.#partitions = query.windows.map(() => new Map());
    this.#aggregatesOf = query.windows.map((_w, w) => query.aggregates.flatMap((slot, i) => (slot.window === w ? [i] : [])));
  }

  push(row: StreamRow): void {
    this.#lastRowtime = row.rowtime;
    this.#input.forEach(row, (values, match) => {
      const sequence = ++this.#sequence;
      if (sequence % SWEEP_EVERY_ROWS === 0) this.#sweep(row.rowtime);
      let extended: SqlValue[];
      try {
        // Everything that can fail is computed before any window changes.
        const keys = this.query.windows.map((window) => partitionKey(window, values, row.rowtime));
        const args = this.query.aggregates.map((slot) => (slot.argument === undefined ? null : slot.argument.evaluate(values, row.rowtime)));
        extended = values.slice();
        extended.length = this.query.scope.width;
        for (let w = 0; w < keys.length; w++) this.#slide(w, keys[w]!, row.rowtime, sequence, args, extended);
      } catch (error) {
        this.output.error(error, row);
        return;
      }
      try {
        const id = match === 0 ? `${this.idPrefix}${row.id}` : `${this.idPrefix}${row.id}#${match}`;
        this.output.emit({ rowtime: this.mapper.rowtime(extended, row.rowtime), values: this.mapper.values(extended, row.rowtime), id });
      } catch (error) {
        this.output.error(error, row);
      }
    });
  }

  advance(rowtime: number): number | undefined {
    return this.#sweep(rowtime);
  }

  flush(): void {}

  earliestNeededRowtime(): number | undefined {
    let earliest: number | undefined;
    this.query.windows.forEach((window, w) => {
      if (window.frame.kind === 'range') {
        if (this.#partitions[w]!.size > 0) earliest = Math.min(earliest ?? Infinity, this.#lastRowtime - window.frame.ms + 1);
        return;
      }
      for (const partition of this.#partitions[w]!.values()) {
        const first = partition.entries.peekFirst();
        if (first !== undefined) earliest = Math.min(earliest ?? Infinity, first.rowtime);
      }
    });
    return earliest;
  }

  /** Adds the row to window `w`'s partition, evicts what left the frame, and writes the results into `extended`. */
  #slide(w: number, key: string, rowtime: number, sequence: number, args: readonly SqlValue[], extended: SqlValue[]): void {
    const window = this.query.windows[w]!;
    const indexes = this.#aggregatesOf[w]!;
    let partition = this.#partitions[w]!.get(key);
    if (partition === undefined) {
      partition = { entries: new RingQueue(), aggregates: indexes.map((i) => createSlidingAggregate(this.query.aggregates[i]!)) };
      this.#partitions[w]!.set(key, partition);
    }
    const windowArgs = indexes.map((i) => args[i]!);
    const { entries, aggregates } = partition;
    if (window.frame.kind === 'range') {
      const cutoff = rowtime - window.frame.ms;
      while (entries.size > 0 && entries.peekFirst()!.rowtime <= cutoff) evict(entries, aggregates);
    }
    entries.push({ rowtime, sequence, args: windowArgs });
    for (let a = 0; a < aggregates.length; a++) aggregates[a]!.add(windowArgs[a]!, sequence);
    if (window.frame.kind === 'rows') while (entries.size > window.frame.preceding + 1) evict(entries, aggregates);
    const width = this.query.scope.width;
    for (let a = 0; a < indexes.length; a++) extended[width + indexes[a]!] = aggregates[a]!.result();
  }

  /**
   * Drops RANGE partitions whose every row has left the frame; returns when the last of them left
   * it (its newest row's ROWTIME + the range: no later row needs it), undefined when none was dropped.
   */
  #sweep(rowtime: number): number | undefined {
    let leftAt: number | undefined;
    this.query.windows.forEach((window, w) => {
      if (window.frame.kind !== 'range') return;
      const cutoff = rowtime - window.frame.ms;
      for (const [key, partition] of this.#partitions[w]!) {
        const newest = partition.entries.peekLast()!.rowtime;
        if (newest > cutoff) continue;
        this.#partitions[w]!.delete(key);
        if (leftAt === undefined || newest + window.frame.ms > leftAt) leftAt = newest + window.frame.ms;
      }
    });
    return leftAt;
  }
}

function evict(entries: RingQueue<Entry>, aggregates: SlidingAggregate[]): void {
  const oldest = entries.shift()!;
  for (let a = 0; a < aggregates.length; a++) aggregates[a]!.remove(oldest.args[a]!, oldest.sequence);
}

function partitionKey(window: SlidingWindowSlot, values: readonly SqlValue[], rowtime: number): string {
  let key = '';
  for (const expression of window.partitionBy) key += `${valueKey(expression.evaluate(values, rowtime))}\u0001`;
  return key;
}
