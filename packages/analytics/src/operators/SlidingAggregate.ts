import { compareValues } from '../expressions/arithmetic';
import type { AggregateSlot } from '../plan/CompiledQuery';
import type { SqlValue } from '../types/SqlType';
import { valueKey } from './Accumulator';
import { RingQueue } from './RingQueue';

/**
 * One aggregate over a sliding window, maintained incrementally: rows enter at the back and
 * leave from the front (oldest first), each in O(1) amortised — no rescan of the window.
 */
export interface SlidingAggregate {
  add(value: SqlValue, sequence: number): void;
  /** The oldest row leaves; `value` and `sequence` are what `add` was given for it. */
  remove(value: SqlValue, sequence: number): void;
  result(): SqlValue;
}

export function createSlidingAggregate(slot: AggregateSlot): SlidingAggregate {
  switch (slot.function) {
    case 'COUNT':
      return slot.distinct ? new SlidingCountDistinct() : new SlidingCount(slot.star);
    case 'SUM':
      return new SlidingSum(false);
    case 'AVG':
      return new SlidingSum(true);
    case 'MIN':
      return new SlidingExtreme(-1);
    case 'MAX':
      return new SlidingExtreme(1);
  }
}

class SlidingCount implements SlidingAggregate {
  #count = 0;
  constructor(private readonly star: boolean) {}
  add(value: SqlValue): void {
    if (this.star || value !== null) this.#count++;
  }
  remove(value: SqlValue): void {
    if (this.star || value !== null) this.#count--;
  }
  result(): SqlValue {
    return this.#count;
  }
}

/** COUNT(DISTINCT x): a counted map, so a value leaves the count only with its last row. */
class SlidingCountDistinct implements SlidingAggregate {
  readonly #counts = new Map<string, number>();
  add(value: SqlValue): void {
    if (value === null) return;
    const key = valueKey(value);
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }
  remove(value: SqlValue): void {
    if (value === null) return;
    const key = valueKey(value);
    const count = this.#counts.get(key)! - 1;
    if (count === 0) this.#counts.delete(key);
    else this.#counts.set(key, count);
  }
  result(): SqlValue {
    return this.#counts.size;
  }
}

/** SUM and AVG with compensated (Neumaier) summation, so adding and removing doubles does not drift. */
class SlidingSum implements SlidingAggregate {
  #sum = 0;
  #compensation = 0;
  #count = 0;
  constructor(private readonly average: boolean) {}
  add(value: SqlValue): void {
    if (value === null) return;
    this.#accumulate(value as number);
    this.#count++;
  }
  remove(value: SqlValue): void {
    if (value === null) return;
    this.#accumulate(-(value as number));
    this.#count--;
    if (this.#count === 0) {
      this.#sum = 0;
      this.#compensation = 0;
    }
  }
  result(): SqlValue {
    if (this.#count === 0) return null;
    const sum = this.#sum + this.#compensation;
    return this.average ? sum / this.#count : sum;
  }
  #accumulate(x: number): void {
    const t = this.#sum + x;
    this.#compensation += Math.abs(this.#sum) >= Math.abs(x) ? this.#sum - t + x : x - t + this.#sum;
    this.#sum = t;
  }
}

/** MIN/MAX over a monotonic deque: the front is the answer; a newer better value evicts worse older ones. */
class SlidingExtreme implements SlidingAggregate {
  readonly #deque = new RingQueue<{ readonly value: Exclude<SqlValue, null>; readonly sequence: number }>();
  constructor(private readonly sign: 1 | -1) {}
  add(value: SqlValue, sequence: number): void {
    if (value === null) return;
    for (;;) {
      const last = this.#deque.peekLast();
      if (last === undefined || compareValues(value, last.value) * this.sign < 0) break;
      this.#deque.pop();
    }
    this.#deque.push({ value, sequence });
  }
  remove(_value: SqlValue, sequence: number): void {
    if (this.#deque.peekFirst()?.sequence === sequence) this.#deque.shift();
  }
  result(): SqlValue {
    return this.#deque.peekFirst()?.value ?? null;
  }
}
