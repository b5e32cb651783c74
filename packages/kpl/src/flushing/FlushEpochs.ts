/**
 * Counts unsettled user records per flush epoch, so that `flush()` can wait for every record put
 * before it: each `flush()` closes the current epoch and waits until it and every earlier one has
 * no unsettled record. The current epoch's count is a field (every put touches it); closed ones
 * with records left are in a map, which holds only epochs some flush still waits on. Internal.
 */
export class FlushEpochs {
  #current = 0;
  #unsettledNow = 0;
  readonly #unsettledByEpoch = new Map<number, number>();
  readonly #waiters: { epoch: number; resolve: () => void }[] = [];

  /** The epoch a record put now belongs to. */
  get current(): number {
    return this.#current;
  }

  /** Whether any record, of any epoch, is unsettled. */
  get hasUnsettled(): boolean {
    return this.#unsettledNow > 0 || this.#unsettledByEpoch.size > 0;
  }

  /** A record was put (in the current epoch). */
  added(): void {
    this.#unsettledNow++;
  }

  /** A record of `epoch` settled; flushes waiting on nothing else are resolved. */
  settled(epoch: number): void {
    // No flush waits on the current epoch: it has not been closed.
    if (epoch === this.#current) {
      this.#unsettledNow--;
      return;
    }
    const left = (this.#unsettledByEpoch.get(epoch) ?? 1) - 1;
    if (left > 0) {
      this.#unsettledByEpoch.set(epoch, left);
      return;
    }
    this.#unsettledByEpoch.delete(epoch);
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i]!;
      if (this.#settledThrough(waiter.epoch)) {
        this.#waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /**
   * Closes the current epoch.
   * @returns a promise that resolves once every record of it and of earlier epochs has settled, or
   * undefined when they all have already.
   */
  close(): Promise<void> | undefined {
    const epoch = this.#current++;
    if (this.#unsettledNow > 0) this.#unsettledByEpoch.set(epoch, this.#unsettledNow);
    this.#unsettledNow = 0;
    if (this.#settledThrough(epoch)) return undefined;
    return new Promise<void>((resolve) => this.#waiters.push({ epoch, resolve }));
  }

  /** Whether no record of `epoch` or before is unsettled. */
  #settledThrough(epoch: number): boolean {
    for (const pending of this.#unsettledByEpoch.keys()) if (pending <= epoch) return false;
    return true;
  }
}
