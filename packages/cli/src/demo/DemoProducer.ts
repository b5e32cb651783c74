import type { KinesisProducer } from '@kinesis-toolkit/kpl';
import { SYSTEM_CLOCK, type Clock } from '@kinesis-toolkit/core';
import { encodeDemoRecord, recordId } from './DemoRecord';
import type { SkewedKeys } from './SkewedKeys';

/** What a {@link DemoProducer} needs. */
export interface DemoProducerOptions {
  /** The KPL producer to put through (closed by {@link DemoProducer.run}). */
  readonly producer: Pick<KinesisProducer, 'put' | 'close' | 'hasCapacity'>;
  readonly keys: SkewedKeys;
  readonly runId: string;
  /** How many records to put. */
  readonly records: number;
  /** Records per second; 0 = as fast as the producer takes them. */
  readonly ratePerSecond: number;
  /** Stop putting after this long; 0 = no cap. */
  readonly durationMs: number;
  /** Pacing time. @defaultValue the system clock */
  readonly clock?: Clock;
  /** Epoch milliseconds for `producedAt`. @defaultValue Date.now */
  readonly wallClock?: () => number;
  /** Pacing tick. @defaultValue 20 */
  readonly tickMs?: number;
}

/** How producing went. */
export interface ProduceResult {
  /** Records put. */
  readonly submitted: number;
  /** Records Kinesis acknowledged. */
  readonly acknowledged: number;
  /** Records whose put failed (with a few messages). */
  readonly failed: number;
  readonly failures: readonly string[];
  /** Distinct Kinesis records the acknowledged user records went in (aggregation). */
  readonly kinesisRecords: number;
  /** From the first put to the last acknowledgement, by `clock`. */
  readonly elapsedMs: number;
  /** Whether it stopped early (duration cap or stop()). */
  readonly stoppedEarly: boolean;
}

/**
 * Puts the demo's records through the KPL at a steady pace: `ratePerSecond` on average, and
 * never past the producer's own backpressure (`hasCapacity`). Every acknowledged record's id goes
 * into {@link acknowledged} — what the sinks are checked against.
 */
export class DemoProducer {
  /** Ids (`key#n`) of the records Kinesis acknowledged. */
  readonly acknowledged = new Set<string>();
  readonly #options: Required<DemoProducerOptions>;
  readonly #kinesisRecords = new Set<string>();
  readonly #failures: string[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #submitted = 0;
  #failed = 0;
  #stopped = false;
  #wake: (() => void) | undefined;

  constructor(options: DemoProducerOptions) {
    this.#options = { clock: SYSTEM_CLOCK, wallClock: Date.now, tickMs: 20, ...options };
  }

  /** Records put so far. */
  get submitted(): number {
    return this.#submitted;
  }

  /** Records acknowledged so far. */
  get produced(): number {
    return this.acknowledged.size;
  }

  /** Stops putting new records; `run()` then waits for those in flight and resolves. */
  stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }

  /** Puts until `records` are put, the duration cap, or `stop()`; then closes the producer. */
  async run(): Promise<ProduceResult> {
    const { clock, records, ratePerSecond, durationMs, tickMs } = this.#options;
    const startedAt = clock.now();
    let stoppedEarly = false;
    while (this.#submitted < records) {
      if (this.#stopped || (durationMs > 0 && clock.now() - startedAt >= durationMs)) {
        stoppedEarly = true;
        break;
      }
      const allowed = ratePerSecond > 0 ? Math.min(records, Math.floor(((clock.now() - startedAt) * ratePerSecond) / 1000) + 1) : records;
      while (this.#submitted < allowed && this.#options.producer.hasCapacity && !this.#stopped) this.#putNext();
      if (this.#submitted < records) await this.#sleep(tickMs);
    }
    await Promise.all([...this.#inFlight]);
    await this.#options.producer.close();
    return {
      submitted: this.#submitted,
      acknowledged: this.acknowledged.size,
      failed: this.#failed,
      failures: [...this.#failures],
      kinesisRecords: this.#kinesisRecords.size,
      elapsedMs: clock.now() - startedAt,
      stoppedEarly,
    };
  }

  #putNext(): void {
    const draw = this.#options.keys.next();
    const record = { runId: this.#options.runId, source: draw.source, key: draw.key, n: draw.n, producedAt: this.#options.wallClock() };
    this.#submitted++;
    const settled = this.#options.producer.put({ partitionKey: draw.key, data: encodeDemoRecord(record) }).then(
      (result) => {
        this.acknowledged.add(recordId(record));
        this.#kinesisRecords.add(`${result.shardId}/${result.sequenceNumber}`);
      },
      (error: unknown) => {
        this.#failed++;
        if (this.#failures.length < 5) this.#failures.push(`${recordId(record)}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      },
    );
    this.#inFlight.add(settled);
    void settled.then(() => this.#inFlight.delete(settled));
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#options.clock.setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        this.#options.clock.clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }
}
