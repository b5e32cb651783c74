import type { UserRecord } from '@kinesis-toolkit/aggregation';
import type { Checkpointer } from '../src/checkpoint/Checkpointer';
import type { InitializationInput, ProcessRecordsInput, RecordProcessor } from '../src/processor/RecordProcessor';

/** What every processor of a test saw, shared across shards and workers. */
export class Recorder {
  readonly records: (UserRecord & { shardId: string; worker: string })[] = [];
  readonly initialized: (InitializationInput & { worker: string })[] = [];
  readonly lifecycle: string[] = [];

  /** Record data strings in delivery order, per shard. */
  dataByShard(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const record of this.records) out.set(record.shardId, [...(out.get(record.shardId) ?? []), record.data.toString()]);
    return out;
  }
}

/** Options of a {@link RecordingProcessor}. */
export interface RecordingOptions {
  /** Checkpoint after every batch. @defaultValue true */
  readonly checkpointEachBatch?: boolean;
  /** Checkpoint in shardEnded. @defaultValue true */
  readonly checkpointAtShardEnd?: boolean;
  /** Checkpoint in shutdownRequested. @defaultValue true */
  readonly checkpointAtShutdown?: boolean;
  /** Throw on the first n calls of processRecords. @defaultValue 0 */
  readonly failFirstBatches?: number;
}

/** A record processor for tests: records everything it sees, checkpoints as told. */
export class RecordingProcessor implements RecordProcessor {
  #shardId = '';
  #failures = 0;

  constructor(
    private readonly recorder: Recorder,
    private readonly worker: string,
    private readonly options: RecordingOptions = {},
  ) {}

  initialize(input: InitializationInput): void {
    this.#shardId = input.shardId;
    this.recorder.initialized.push({ ...input, worker: this.worker });
    this.recorder.lifecycle.push(`${this.worker}:${input.shardId}:initialize`);
  }

  async processRecords({ records, checkpointer }: ProcessRecordsInput): Promise<void> {
    if (this.#failures < (this.options.failFirstBatches ?? 0)) {
      this.#failures++;
      throw new Error(`injected failure ${this.#failures}`);
    }
    for (const record of records) this.recorder.records.push({ ...record, shardId: this.#shardId, worker: this.worker });
    if (this.options.checkpointEachBatch ?? true) await checkpointer.checkpoint();
  }

  leaseLost(): void {
    this.recorder.lifecycle.push(`${this.worker}:${this.#shardId}:leaseLost`);
  }

  async shardEnded({ checkpointer }: { checkpointer: Checkpointer }): Promise<void> {
    this.recorder.lifecycle.push(`${this.worker}:${this.#shardId}:shardEnded`);
    if (this.options.checkpointAtShardEnd ?? true) await checkpointer.checkpoint();
  }

  async shutdownRequested({ checkpointer }: { checkpointer: Checkpointer }): Promise<void> {
    this.recorder.lifecycle.push(`${this.worker}:${this.#shardId}:shutdownRequested`);
    if (this.options.checkpointAtShutdown ?? true) await checkpointer.checkpoint().catch(() => undefined);
  }
}
