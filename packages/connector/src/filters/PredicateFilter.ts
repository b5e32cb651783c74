import { InvalidArgumentError } from '@kinesis-toolkit/core';
import type { Filter } from './Filter';

/**
 * A {@link Filter} from a function: items for which `predicate` returns true reach the buffer;
 * the others count as done. A predicate that throws sends the record to the failure sink.
 */
export class PredicateFilter<T> implements Filter<T> {
  constructor(private readonly predicate: (item: T) => boolean) {
    if (typeof predicate !== 'function') throw new InvalidArgumentError('predicate', 'a function (item) => boolean', predicate);
  }

  keep(item: T): boolean {
    return this.predicate(item) === true;
  }
}

/** Shorthand for `new PredicateFilter(predicate)`. */
export function predicateFilter<T>(predicate: (item: T) => boolean): PredicateFilter<T> {
  return new PredicateFilter(predicate);
}
