import type { StreamRow } from '../engine/StreamRow';
import type { CompiledQuery } from '../plan/CompiledQuery';
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
  readonly groups: Map<string, Group>;
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

  constructor(
    private readonly query: Tumbling,
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
        let start = -Infinity;
        let end = Infinity;
        for (const { key, sizeMs } of this.query.windowKeys) {
          const windowStart = keyValues[key] as number;
          start = Math.max(start, windowStart);
          end = Math.min(end, windowStart + sizeMs);
        }
        let bucket = this.#byEnd.get(end);
        if (bucket === undefined) {
          bucket = { start, end, groups: new Map() };
          this.#byEnd.set(end, bucket);
          this.#buckets.push(bucket);
        }
        let group = bucket.groups.get(keyText);
        if (group === undefined) {
          group = this.#groups.create(keyValues, keyText);
          // Accumulate first: a row whose aggregate arguments fail must not open a group.
          this.#groups.add(group, values, row.rowtime);
          bucket.groups.set(keyText, group);
        } else this.#groups.add(group, values, row.rowtime);
      } catch (error) {
        this.output.error(error, row);
      }
    });
  }

  advance(rowtime: number): void {
    GroupEmitter.closeEnded(this.#buckets, rowtime, (bucket) => this.#close(bucket));
  }

  flush(): void {
    while (this.#buckets.size > 0) this.#close(this.#buckets.shift()!);
  }

  earliestNeededRowtime(): number | undefined {
    return this.#buckets.peekFirst()?.start;
  }

  #close(bucket: WindowBucket): void {
    this.#byEnd.delete(bucket.end);
    for (const group of bucket.groups.values()) this.#groups.emit(group, bucket.end, `${this.idPrefix}${bucket.end}|${group.keyText}`);
  }
}
