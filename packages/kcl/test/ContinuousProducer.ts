import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { aggregate } from '@kinesis-toolkit/aggregation';

/** Options of a {@link ContinuousProducer}. */
export interface ContinuousProducerOptions {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  /** Partition keys written to on every tick (pick some per shard so every shard gets records). */
  readonly partitionKeys: readonly string[];
  /** User records per key per tick; records of one key and tick go into one aggregate. @defaultValue 3 */
  readonly recordsPerKey?: number;
  /** Pause between two PutRecords calls. @defaultValue 100 */
  readonly tickMs?: number;
}

/**
 * Writes KPL-aggregated records (data: unique ids `u<n>`) to a stream until stopped, as a
 * producer would: each tick, a few records per key, aggregated by key. An id is added to
 * `produced` only once Kinesis has acknowledged it; a failed put stops the producer and
 * `stop()` rethrows it.
 */
export class ContinuousProducer {
  /** Ids Kinesis acknowledged, in order. */
  readonly produced: string[] = [];
  readonly #options: Required<ContinuousProducerOptions>;
  #running: Promise<void> | undefined;
  #stopped = false;
  #next = 0;
  #wake: (() => void) | undefined;

  constructor(options: ContinuousProducerOptions) {
    this.#options = { recordsPerKey: 3, tickMs: 100, ...options };
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Stops after the put in flight; rejects with the error that stopped it early, if any. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#running;
  }

  async #run(): Promise<void> {
    const { kinesis, streamName, partitionKeys, recordsPerKey, tickMs } = this.#options;
    while (!this.#stopped) {
      const ids: string[] = [];
      const entries = partitionKeys.flatMap((partitionKey) => {
        const users = Array.from({ length: recordsPerKey }, () => {
          const id = `u${this.#next++}`;
          ids.push(id);
          return { partitionKey, data: Buffer.from(id) };
        });
        return aggregate(users);
      });
      const out = await kinesis.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: entries.map((e) => ({ PartitionKey: e.partitionKey, ExplicitHashKey: e.explicitHashKey, Data: e.data })),
        }),
      );
      if ((out.FailedRecordCount ?? 0) > 0) {
        const first = out.Records?.find((r) => r.ErrorCode);
        throw new Error(`PutRecords failed for ${out.FailedRecordCount} records: ${first?.ErrorCode} ${first?.ErrorMessage}`);
      }
      this.produced.push(...ids);
      // Pacing between puts (not a wait for a condition); stop() cuts it short.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, tickMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
