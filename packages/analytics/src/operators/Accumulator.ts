import { compareValues } from '../expressions/arithmetic';
import type { AggregateSlot } from '../plan/CompiledQuery';
import type { SqlValue } from '../types/SqlType';

/** The running state of one aggregate over an append-only group (tumbling and stagger windows). */
export interface Accumulator {
  add(value: SqlValue): void;
  result(): SqlValue;
}

/** A key for a value in a Map (DISTINCT, group keys): numbers, strings and booleans stay apart. */
export function valueKey(value: SqlValue): string {
  if (value === null) return 'n';
  if (typeof value === 'number') return `d${value}`;
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return `b${value.toString('hex')}`;
}

/** A fresh accumulator for an aggregate slot. */
export function createAccumulator(slot: AggregateSlot): Accumulator {
  switch (slot.function) {
    case 'COUNT':
      if (slot.distinct) {
        const seen = new Set<string>();
        return { add: (v) => void (v !== null && seen.add(valueKey(v))), result: () => seen.size };
      }
      return new CountAccumulator(slot.star);
    case 'SUM':
      return new SumAccumulator(false);
    case 'AVG':
      return new SumAccumulator(true);
    case 'MIN':
      return new ExtremeAccumulator(-1);
    case 'MAX':
      return new ExtremeAccumulator(1);
  }
}

class CountAccumulator implements Accumulator {
  #count = 0;
  constructor(private readonly star: boolean) {}
  add(value: SqlValue): void {
    if (this.star || value !== null) this.#count++;
  }
  result(): SqlValue {
    return this.#count;
  }
}

class SumAccumulator implements Accumulator {
  #sum = 0;
  #count = 0;
  constructor(private readonly average: boolean) {}
  add(value: SqlValue): void {
    if (value === null) return;
    this.#sum += value as number;
    this.#count++;
  }
  result(): SqlValue {
    if (this.#count === 0) return null;
    return this.average ? this.#sum / this.#count : this.#sum;
  }
}

class ExtremeAccumulator implements Accumulator {
  #best: SqlValue = null;
  constructor(private readonly sign: 1 | -1) {}
  add(value: SqlValue): void {
    if (value === null) return;
    if (this.#best === null || compareValues(value, this.#best) * this.sign > 0) this.#best = value;
  }
  result(): SqlValue {
    return this.#best;
  }
}
