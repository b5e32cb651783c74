import { once } from 'node:events';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { UserRecordInput } from '@kinesis-toolkit/aggregation';
import type { KinesisProducer, PutResult } from '@kinesis-toolkit/kpl';

/** How often a feeder that waits for `'drain'` also looks at `hasCapacity` itself. */
const CAPACITY_POLL_MS = 10;
/** Puts between two turns of the event loop, as a source reading from I/O would give them. */
const PUTS_PER_TURN = 1000;

/** How the records a feeder put have settled so far. */
export class Settlements {
  succeeded = 0;
  failed = 0;
  /** Failures by error class: the error's name, with its AWS error code when it carries one. */
  readonly failuresByClass = new Map<string, number>();
  /** Bound once, so a put costs no closure. */
  readonly onSuccess = (_result: PutResult): void => {
    this.succeeded++;
  };
  readonly onFailure = (error: unknown): void => {
    this.failed++;
    const key = errorClassOf(error);
    this.failuresByClass.set(key, (this.failuresByClass.get(key) ?? 0) + 1);
  };

  get settled(): number {
    return this.succeeded + this.failed;
  }

  /** `RecordExpiredError(ProvisionedThroughputExceededException) 12` …, or `none`. */
  describeFailures(): string {
    if (this.failuresByClass.size === 0) return 'none';
    return [...this.failuresByClass].map(([key, count]) => `${key} ${count}`).join(', ');
  }
}

function errorClassOf(error: unknown): string {
  const err = error as { name?: string; errorCode?: string; attempts?: readonly { errorCode?: string }[] };
  const code = err?.errorCode ?? err?.attempts?.at(-1)?.errorCode;
  return `${err?.name ?? 'non-Error'}${code !== undefined ? `(${code})` : ''}`;
}

/** How a feeder met the producer's backpressure. */
export interface FeedStats {
  readonly puts: number;
  /** Times the feeder found `hasCapacity` false and waited. */
  readonly waits: number;
  /**
   * Waits that `'drain'` did not end: the feeder's own look at `hasCapacity` found room first.
   * Each would have hung a feeder that waits for `'drain'` alone, as the README shows.
   */
  readonly drainMissing: number;
}

/**
 * Puts records from `next` (until it returns undefined or `shouldStop` says so) at the pace the
 * producer's backpressure allows: while `hasCapacity` is false it waits for `'drain'` — the
 * README's pattern — guarded by a look at `hasCapacity` every few milliseconds, so a `'drain'`
 * that never comes is counted instead of hanging the benchmark.
 */
export async function feedWithDrain(
  producer: KinesisProducer,
  next: () => UserRecordInput | undefined,
  settlements: Settlements,
  shouldStop: () => boolean = () => false,
): Promise<FeedStats> {
  let puts = 0;
  let waits = 0;
  let drainMissing = 0;
  for (;;) {
    if (puts % PUTS_PER_TURN === 0 && puts > 0) await nextTurn();
    if (shouldStop()) break;
    if (!producer.hasCapacity) {
      waits++;
      if ((await waitForCapacity(producer)) === 'poll') drainMissing++;
      if (shouldStop()) break;
    }
    const record = next();
    if (record === undefined) break;
    producer.put(record).then(settlements.onSuccess, settlements.onFailure);
    puts++;
  }
  return { puts, waits, drainMissing };
}

/**
 * {@link feedWithDrain} through `putMany()`: a turn's worth of records per call, while
 * `hasCapacity` (waiting for `'drain'` otherwise); resolves once every call has settled.
 */
export async function feedManyWithDrain(producer: KinesisProducer, records: readonly UserRecordInput[], settlements: Settlements): Promise<void> {
  const calls: Promise<void>[] = [];
  for (let from = 0; from < records.length; from += PUTS_PER_TURN) {
    if (from > 0) await nextTurn();
    if (!producer.hasCapacity) await waitForCapacity(producer);
    const chunk = records.slice(from, from + PUTS_PER_TURN);
    calls.push(
      producer.putMany(chunk).then((outcomes) => {
        for (const outcome of outcomes) {
          if (outcome.status === 'fulfilled') settlements.onSuccess(outcome.value);
          else settlements.onFailure(outcome.reason);
        }
      }),
    );
  }
  await Promise.all(calls);
}

async function waitForCapacity(producer: KinesisProducer): Promise<'drain' | 'poll'> {
  const controller = new AbortController();
  const { signal } = controller;
  const drained = once(producer, 'drain', { signal }).then(
    () => 'drain' as const,
    () => 'aborted' as const,
  );
  const polled = (async () => {
    try {
      while (!producer.hasCapacity) await sleep(CAPACITY_POLL_MS, undefined, { signal });
      return 'poll' as const;
    } catch {
      return 'aborted' as const;
    }
  })();
  const first = await Promise.race([drained, polled]);
  controller.abort();
  return first === 'aborted' ? 'drain' : first;
}
