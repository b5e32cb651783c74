import type { FailureRecord, FailureSink } from './FailureRecord';

/**
 * A {@link FailureSink} that keeps failure records in memory, for tests and debugging. Unbounded:
 * not for production.
 */
export class InMemoryFailureSink implements FailureSink {
  readonly #records: FailureRecord[] = [];

  /** Every record put so far, in order. */
  get records(): readonly FailureRecord[] {
    return this.#records;
  }

  async put(records: readonly FailureRecord[]): Promise<void> {
    this.#records.push(...records);
  }

  /** Forgets everything put so far. */
  clear(): void {
    this.#records.length = 0;
  }
}
