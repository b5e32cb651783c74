import type { EmitBatch, Emitter, EmitResult } from './Emitter';
import { matchFailed } from './internal/matchFailed';
import { requireFunction, requireMethods } from './internal/options';

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
 * An item whose `map` throws is failed (and logged by the pipeline through its failure path).
 */
export class MappingEmitter<T, U> implements Emitter<T> {
  readonly #inner: Emitter<U>;
  readonly #map: (item: T) => U;

  /** @throws TypeError when `inner` is not an emitter or `map` not a function. */
  constructor(inner: Emitter<U>, map: (item: T) => U) {
    this.#inner = requireMethods<Emitter<U>>('inner', inner, ['emit'], 'an Emitter');
    this.#map = requireFunction('map', map);
  }

  async emit(batch: EmitBatch<T>): Promise<EmitResult<T>> {
    // Positions in batch.items: failed ones, and where each mapped item came from.
    const failed = new Set<number>();
    const mapped: U[] = [];
    const origins: number[] = [];
    batch.items.forEach((item, position) => {
      try {
        mapped.push(this.#map(item));
        origins.push(position);
      } catch {
        failed.add(position);
      }
    });
    if (mapped.length > 0) {
      const result = await this.#inner.emit({ ...batch, items: mapped, sources: origins.map((position) => batch.sources[position]!) });
      // By position, not by value: two equal mapped items of which one failed fail one original.
      for (const index of matchFailed(mapped, result.failed).positions) failed.add(origins[index]!);
    }
    return { failed: batch.items.filter((_item, position) => failed.has(position)) };
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
