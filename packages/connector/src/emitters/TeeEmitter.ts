import { InvalidArgumentError, NOOP_LOGGER, classifyAwsError, rejectUnknownOptions, requireInteger, type Logger, givenOptions, requireLogger, requireMethods } from '@kinesis-toolkit/core';
import type { EmitBatch, Emitter, EmitResult, RejectedItem } from './Emitter';
import { EmitterError } from './EmitterError';
import { matchFailed, matchItems } from './internal/matchFailed';
import { emitResult } from './internal/emitResult';

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
 * @throws InvalidArgumentError naming the bad option.
 */
export function resolveTeeEmitterOptions(options: TeeEmitterOptions): Readonly<Required<TeeEmitterOptions>> {
  const given = givenOptions('options', options);
  rejectUnknownOptions('', options, Object.keys(TEE_EMITTER_DEFAULTS));
  const merged = { ...TEE_EMITTER_DEFAULTS, ...given };
  return Object.freeze({ maxRememberedBatches: requireInteger('maxRememberedBatches', merged.maxRememberedBatches, 0), logger: requireLogger('logger', merged.logger) });
}

/**
 * Sends each batch to several emitters at once (e.g. S3 for the archive and PostgreSQL for
 * queries). An item counts as failed if any emitter failed it (or threw a retryable error), so
 * the pipeline retries it — and re-emission relies on the emitters being idempotent; an item any
 * emitter rejected (or threw a non-retryable error for) is rejected, with that emitter's error.
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
  /** batchId → for each emitter, the items it has already taken, by their record's position. */
  readonly #taken = new Map<string, TakenItems<U>[]>();

  /** @throws TypeError when `emitters` is empty or holds something without `emit`, or for bad options. */
  constructor(emitters: readonly Emitter<U>[], options: TeeEmitterOptions = {}) {
    if (!Array.isArray(emitters) || emitters.length === 0) throw new InvalidArgumentError('emitters', 'a non-empty array of emitters', emitters);
    emitters.forEach((emitter, index) => requireMethods(`emitters[${index}]`, emitter, ['emit'], 'an Emitter'));
    this.#emitters = [...emitters];
    this.#config = resolveTeeEmitterOptions(options);
  }

  /** True when any of its emitters receives every record: a batch without items then goes to those emitters only. */
  get receivesEveryRecord(): boolean {
    return this.#emitters.some((emitter) => emitter.receivesEveryRecord === true);
  }

  async emit(batch: EmitBatch<U>): Promise<EmitResult<U>> {
    const taken = this.#taken.get(batch.batchId) ?? this.#emitters.map(() => new TakenItems<U>());
    const thrown: unknown[] = [];
    // Positions in batch.items that some emitter failed (to retry), or refused for good (with why).
    const failed = new Set<number>();
    const refusedForGood = new Map<number, Error>();
    await Promise.all(
      this.#emitters.map(async (emitter, index) => {
        const wanted = taken[index]!.notTaken(batch);
        const recordsOnly = batch.items.length === 0 && batch.records !== undefined && emitter.receivesEveryRecord === true;
        if (wanted.length === 0 && !recordsOnly) return;
        const subset: EmitBatch<U> =
          wanted.length === batch.items.length
            ? batch
            : { ...batch, items: wanted.map((position) => batch.items[position]!), sources: wanted.map((position) => batch.sources[position]!) };
        let refused: number[];
        let rejected: { position: number; error: Error }[] = [];
        try {
          const result = await emitter.emit(subset);
          refused = matchFailed(subset.items, result.failed).positions;
          const entries = result.rejected ?? [];
          rejected = matchItems(subset.items, entries.map((entry) => entry.item)).flatMap((position, i) => (position === undefined ? [] : [{ position, error: entries[i]!.error }]));
        } catch (error) {
          thrown.push(error);
          const all = subset.items.map((_item, position) => position);
          if (classifyAwsError(error).retryable) refused = all;
          else {
            refused = [];
            rejected = all.map((position) => ({ position, error: error instanceof Error ? error : new EmitterError('TeeEmitFailed', String(error)) }));
          }
          this.#config.logger.warn({ emitter: index, batchId: batch.batchId, error: String(error) }, 'an emitter of the tee threw');
        }
        const refusedSet = new Set(refused);
        const rejectedMap = new Map(rejected.map((entry) => [entry.position, entry.error]));
        wanted.forEach((position, i) => {
          const reason = rejectedMap.get(i);
          if (reason !== undefined) refusedForGood.set(position, reason);
          else if (refusedSet.has(i)) failed.add(position);
          else taken[index]!.add(batch, position);
        });
      }),
    );
    for (const position of refusedForGood.keys()) failed.delete(position);
    this.remember(batch.batchId, failed.size === 0 ? undefined : taken);
    if (thrown.length > 0 && failed.size === batch.items.length) {
      throw new EmitterError('TeeEmitFailed', `${thrown.length} of ${this.#emitters.length} emitters threw: ${thrown.map(String).join('; ')}`, {
        retryable: thrown.every((error) => classifyAwsError(error).retryable),
        cause: thrown.length === 1 ? thrown[0] : new AggregateError(thrown, 'emitters threw'),
        context: { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId },
      });
    }
    const rejected: RejectedItem<U>[] = [...refusedForGood].sort(([a], [b]) => a - b).map(([position, error]) => ({ item: batch.items[position]!, error }));
    const failedItems = batch.items.filter((_item, position) => failed.has(position));
    return emitResult(failedItems, rejected);
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

  private remember(batchId: string, taken: TakenItems<U>[] | undefined): void {
    this.#taken.delete(batchId);
    if (taken === undefined || this.#config.maxRememberedBatches === 0) return;
    this.#taken.set(batchId, taken);
    while (this.#taken.size > this.#config.maxRememberedBatches) this.#taken.delete(this.#taken.keys().next().value!);
  }
}

/**
 * What one emitter of the tee took of a batch, across its retries. A retry is a new batch of only
 * the failed items, so items are known by their record's position and their value (a multiset:
 * equal items of one record are interchangeable).
 */
class TakenItems<U> {
  readonly #byRecord = new Map<string, U[]>();

  add(batch: EmitBatch<U>, position: number): void {
    const key = recordKey(batch, position);
    const list = this.#byRecord.get(key);
    if (list === undefined) this.#byRecord.set(key, [batch.items[position]!]);
    else list.push(batch.items[position]!);
  }

  /** Positions of `batch.items` this emitter has not taken yet. */
  notTaken(batch: EmitBatch<U>): number[] {
    if (this.#byRecord.size === 0) return batch.items.map((_item, position) => position);
    const unclaimed = new Map<string, U[]>();
    const wanted: number[] = [];
    batch.items.forEach((item, position) => {
      const key = recordKey(batch, position);
      let left = unclaimed.get(key);
      if (left === undefined) unclaimed.set(key, (left = [...(this.#byRecord.get(key) ?? [])]));
      const at = left.indexOf(item);
      if (at >= 0) left.splice(at, 1);
      else wanted.push(position);
    });
    return wanted;
  }
}

function recordKey(batch: EmitBatch<unknown>, position: number): string {
  const source = batch.sources[position]!;
  return `${source.sequenceNumber}/${source.subSequenceNumber}`;
}

async function settleAll(work: readonly (void | Promise<void> | undefined)[]): Promise<void> {
  const results = await Promise.allSettled(work.map((each) => Promise.resolve(each)));
  const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
}
