import { requireFunction, requireMethods } from '@kinesis-toolkit/core';
import type { EmitBatch, Emitter, EmitResult, RejectedItem } from './Emitter';
import { EmitterError } from './EmitterError';
import { matchFailed, matchItems } from './internal/matchFailed';
import { emitResult } from './internal/emitResult';

/**
 * Adapts an emitter to another item type: `map` turns each item into what the inner emitter
 * takes, and failures are reported as the original items. Handy behind a {@link TeeEmitter}
 * whose sinks want different shapes — rows for {@link PostgresEmitter}, JSON lines for
 * {@link S3Emitter}:
 *
 * ```ts
 * new TeeEmitter<Order>([new PostgresEmitter({ … }), new MappingEmitter(s3Emitter, (order) => JSON.stringify(order))]);
 * ```
 *
 * An item whose `map` throws is rejected (`InvalidItem`, not retried: the same map throws again)
 * and goes to the failure sink; the inner emitter's failed and rejected items come back as the
 * original items.
 */
export class MappingEmitter<T, U> implements Emitter<T> {
  readonly #inner: Emitter<U>;
  readonly #map: (item: T) => U;

  /** @throws InvalidArgumentError when `inner` is not an emitter or `map` not a function. */
  constructor(inner: Emitter<U>, map: (item: T) => U) {
    this.#inner = requireMethods<Emitter<U>>('inner', inner, ['emit'], 'an Emitter');
    this.#map = requireFunction('map', map) as (item: T) => U;
  }

  /** As the inner emitter's: then a batch whose items all failed to map (or that has none) still reaches it, with its `records`. */
  get receivesEveryRecord(): boolean {
    return this.#inner.receivesEveryRecord === true;
  }

  async emit(batch: EmitBatch<T>): Promise<EmitResult<T>> {
    // Positions in batch.items: failed ones, refused ones (with why), and where each mapped item came from.
    const failed = new Set<number>();
    const refused = new Map<number, Error>();
    const mapped: U[] = [];
    const origins: number[] = [];
    batch.items.forEach((item, position) => {
      try {
        mapped.push(this.#map(item));
        origins.push(position);
      } catch (error) {
        refused.set(position, new EmitterError('InvalidItem', `items[${position}]: map threw: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
      }
    });
    if (mapped.length > 0 || (batch.records !== undefined && this.receivesEveryRecord)) {
      const result = await this.#inner.emit({ ...batch, items: mapped, sources: origins.map((position) => batch.sources[position]!) });
      // By position, not by value: two equal mapped items of which one failed fail one original.
      for (const index of matchFailed(mapped, result.failed).positions) failed.add(origins[index]!);
      const rejected = result.rejected ?? [];
      matchItems(
        mapped,
        rejected.map((entry) => entry.item),
      ).forEach((index, i) => {
        if (index !== undefined) refused.set(origins[index]!, rejected[i]!.error);
      });
    }
    for (const position of refused.keys()) failed.delete(position);
    const rejected: RejectedItem<T>[] = [...refused].sort(([a], [b]) => a - b).map(([position, error]) => ({ item: batch.items[position]!, error }));
    const failedItems = batch.items.filter((_item, position) => failed.has(position));
    return emitResult(failedItems, rejected);
  }

  fail(items: readonly T[], error: Error): void | Promise<void> {
    if (this.#inner.fail === undefined) return;
    const mapped: U[] = [];
    for (const item of items) {
      try {
        mapped.push(this.#map(item));
      } catch {
        // Nothing to tell the inner emitter about an item it never saw.
      }
    }
    return this.#inner.fail(mapped, error);
  }

  shutdown(): void | Promise<void> {
    return this.#inner.shutdown?.();
  }
}
