import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/aggregation';
import type { EmitBatch, Emitter, EmitResult } from './Emitter';
import { EmitterError } from './EmitterError';
import { requireInteger, requireMethods, withoutUndefined } from './internal/options';

/** Options of {@link TeeEmitter}. */
export interface TeeEmitterOptions {
  /** How many batches' per-emitter progress to remember for their retries (oldest forgotten first). @defaultValue 64 */
  readonly maxRememberedBatches?: number;
  /** @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link TeeEmitterOptions}. */
export const TEE_EMITTER_DEFAULTS = Object.freeze({ maxRememberedBatches: 64, logger: NOOP_LOGGER as Logger });

/**
 * Validates {@link TeeEmitterOptions} and fills in the defaults.
 * @throws TypeError naming the bad option.
 */
export function resolveTeeEmitterOptions(options: TeeEmitterOptions): Readonly<Required<TeeEmitterOptions>> {
  const merged = { ...TEE_EMITTER_DEFAULTS, ...withoutUndefined(options) };
  requireInteger('maxRememberedBatches', merged.maxRememberedBatches, 0);
  requireMethods('logger', merged.logger, ['debug', 'info', 'warn', 'error'], 'a Logger');
  return Object.freeze(merged);
}

/**
 * Sends each batch to several emitters at once (e.g. S3 for the archive and PostgreSQL for
 * queries). An item counts as failed if any emitter failed it (or threw), so the pipeline retries
 * it — and re-emission relies on the emitters being idempotent.
 *
 * To keep retries cheap and exact, the tee remembers per batch (`batchId`) which items each
 * emitter already took, and on a retry sends each emitter only the items it has not: an S3
 * object is not rewritten with a subset because PostgreSQL failed a row. (After a restart that
 * memory is gone; the emitters' idempotence covers it.) When every item failed because an
 * emitter threw, `emit` throws an {@link EmitterError} `TeeEmitFailed` (retryable if all the
 * thrown errors were) with the errors as `cause`.
 */
export class TeeEmitter<U> implements Emitter<U> {
  readonly #emitters: readonly Emitter<U>[];
  readonly #config: Readonly<Required<TeeEmitterOptions>>;
  /** batchId → for each emitter, the items it has already taken. */
  readonly #taken = new Map<string, Set<U>[]>();

  /** @throws TypeError when `emitters` is empty or holds something without `emit`, or for bad options. */
  constructor(emitters: readonly Emitter<U>[], options: TeeEmitterOptions = {}) {
    if (!Array.isArray(emitters) || emitters.length === 0) throw new TypeError(`emitters: expected a non-empty array of emitters, got ${String(emitters)}`);
    emitters.forEach((emitter, index) => requireMethods(`emitters[${index}]`, emitter, ['emit'], 'an Emitter'));
    this.#emitters = [...emitters];
    this.#config = resolveTeeEmitterOptions(options);
  }

  async emit(batch: EmitBatch<U>): Promise<EmitResult<U>> {
    const taken = this.#taken.get(batch.batchId) ?? this.#emitters.map(() => new Set<U>());
    const thrown: unknown[] = [];
    const failed = new Set<U>();
    await Promise.all(
      this.#emitters.map(async (emitter, index) => {
        const wanted = batch.items.map((item, position) => [item, position] as const).filter(([item]) => !taken[index]!.has(item));
        if (wanted.length === 0) return;
        const subset: EmitBatch<U> =
          wanted.length === batch.items.length
            ? batch
            : { ...batch, items: wanted.map(([item]) => item), sources: wanted.map(([, position]) => batch.sources[position]!) };
        let notTaken: readonly U[];
        try {
          notTaken = (await emitter.emit(subset)).failed;
        } catch (error) {
          thrown.push(error);
          notTaken = subset.items;
          this.#config.logger.warn('an emitter of the tee threw', { emitter: index, batchId: batch.batchId, error: String(error) });
        }
        const refused = new Set(notTaken);
        for (const item of subset.items) {
          if (refused.has(item)) failed.add(item);
          else taken[index]!.add(item);
        }
      }),
    );
    this.remember(batch.batchId, failed.size === 0 ? undefined : taken);
    if (thrown.length > 0 && failed.size === batch.items.length) {
      throw new EmitterError('TeeEmitFailed', `${thrown.length} of ${this.#emitters.length} emitters threw: ${thrown.map(String).join('; ')}`, {
        retryable: thrown.every((error) => (error as { retryable?: unknown }).retryable === true),
        cause: thrown.length === 1 ? thrown[0] : new AggregateError(thrown, 'emitters threw'),
        context: { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId },
      });
    }
    return { failed: batch.items.filter((item) => failed.has(item)) };
  }

  /** Tells every emitter that has `fail` (in parallel); the first error, if any, is rethrown after all ran. */
  async fail(items: readonly U[], error: Error): Promise<void> {
    await settleAll(this.#emitters.map((emitter) => emitter.fail?.(items, error)));
  }

  /** Shuts every emitter down (in parallel); the first error, if any, is rethrown after all ran. */
  async shutdown(): Promise<void> {
    this.#taken.clear();
    await settleAll(this.#emitters.map((emitter) => emitter.shutdown?.()));
  }

  private remember(batchId: string, taken: Set<U>[] | undefined): void {
    this.#taken.delete(batchId);
    if (taken === undefined || this.#config.maxRememberedBatches === 0) return;
    this.#taken.set(batchId, taken);
    while (this.#taken.size > this.#config.maxRememberedBatches) this.#taken.delete(this.#taken.keys().next().value!);
  }
}

async function settleAll(work: readonly (void | Promise<void> | undefined)[]): Promise<void> {
  const results = await Promise.allSettled(work.map((each) => Promise.resolve(each)));
  const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
}
