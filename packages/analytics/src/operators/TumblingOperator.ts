import type { StreamRow } from '../engine/StreamRow';
import type { CompiledQuery } from '../plan/CompiledQuery';
import type { SqlValue } from '../types/SqlType';
import { valueKey } from './Accumulator';
import { GroupEmitter, type Group } from './GroupEmitter';
import type { ReferenceTableData } from './JoinStage';
import type { OutputMapper } from './OutputMapper';
import type { OperatorOutput, PumpOperator } from './PumpOperator';
import { QueryInput } from './QueryInput';
import { RingQueue } from './RingQueue';

type Tumbling = Extract<CompiledQuery, { kind: 'tumbling' }>;

/** The groups of windows that end at the same time, in the order they were first seen. */
interface WindowBucket {
  readonly start: number;
  readonly end: number;
  readonly groups: Map<unknown, Group>;
}

/**
 * GROUP BY with STEP/FLOOR of ROWTIME: a tumbling window. Groups accumulate until a row (or
 * `advance`) reaches the window's end; then each group's row is emitted with ROWTIME = the end,
 * in the order the groups were first seen. Rows arrive in ROWTIME order, so windows end in order
 * and a FIFO of buckets holds every open one.
 */
export class TumblingOperator implements PumpOperator {
  readonly #input: QueryInput;
  readonly #groups: GroupEmitter;
  readonly #buckets = new RingQueue<WindowBucket>();
  readonly #byEnd = new Map<number, WindowBucket>();
  /** The group keys that are not ROWTIME windows. */
  readonly #otherKeys: number[];

  constructor(
    private readonly query: Tumbling,
    mapper: OutputMapper,
    tables: (name: string) => ReferenceTableData,
    private readonly output: OperatorOutput,
    private readonly idPrefix: string,
  ) {
    this.#input = new QueryInput(query, tables, output);
    this.#groups = new GroupEmitter(query.aggregates, query.having, mapper, output);
    this.#otherKeys = query.keys.flatMap((_k, i) => (query.windowKeys.some((w) => w.key === i) ? [] : [i]));
  }

  push(row: StreamRow): void {
    this.advance(row.rowtime);
    this.#row = row;
    this.#input.forEach(row, this.#accumulate);
  }

  /** The row being pushed, for {@link #accumulate} (bound once: no closure per row). */
  #row: StreamRow | undefined;

  readonly #accumulate = (values: readonly SqlValue[]): void => {
    const row = this.#row!;
    try {
      const keys = this.query.keys;
      const keyValues: SqlValue[] = new Array(keys.length);
      for (let i = 0; i < keys.length; i++) keyValues[i] = keys[i]!.evaluate(values, row.rowtime);
      let start = -Infinity;
      let end = Infinity;
      const windowKeys = this.query.windowKeys;
      for (let w = 0; w < windowKeys.length; w++) {
        const windowStart = keyValues[windowKeys[w]!.key] as number;
        if (windowStart > start) start = windowStart;
        if (windowStart + windowKeys[w]!.sizeMs < end) end = windowStart + windowKeys[w]!.sizeMs;
      }
      let bucket = this.#byEnd.get(end);
      if (bucket === undefined) {
        bucket = { start, end, groups: new Map() };
        this.#byEnd.set(end, bucket);
        this.#buckets.push(bucket);
      }
      // Within a bucket (windows ending together) the window keys are equal (rows come in ROWTIME
      // order), so only the other keys tell its groups apart; one such key is looked up as itself.
      const lookup = this.#groupLookup(keyValues);
      let group = bucket.groups.get(lookup);
      if (group === undefined) {
        group = this.#groups.create(keyValues, '');
        // Accumulate first: a row whose aggregate arguments fail must not open a group.
        this.#groups.add(group, values, row.rowtime);
        bucket.groups.set(lookup, group);
      } else this.#groups.add(group, values, row.rowtime);
    } catch (error) {
      this.output.error(error, row);
    }
  };

  #groupLookup(keyValues: readonly SqlValue[]): unknown {
    const other = this.#otherKeys;
    if (other.length === 1) {
      const value = keyValues[other[0]!]!;
      return Buffer.isBuffer(value) ? valueKey(value) : value;
    }
    return GroupEmitter.textOf(keyValues, other);
  }

  advance(rowtime: number): number | undefined {
    return GroupEmitter.closeEnded(this.#buckets, rowtime, (bucket) => this.#close(bucket));
  }

  flush(): void {
    while (this.#buckets.size > 0) this.#close(this.#buckets.shift()!);
  }

  earliestNeededRowtime(): number | undefined {
    return this.#buckets.peekFirst()?.start;
  }

  #close(bucket: WindowBucket): void {
    this.#byEnd.delete(bucket.end);
    for (const group of bucket.groups.values()) this.#groups.emit(group, bucket.end, `${this.idPrefix}${bucket.end}|${GroupEmitter.textOf(group.keyValues, this.#otherKeys)}`);
  }
}
