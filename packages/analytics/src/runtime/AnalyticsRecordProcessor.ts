import type { Checkpointer, InitializationInput, ProcessRecordsInput, RecordProcessor, UserRecord } from '@kinesis-toolkit/kcl';
import type { AnalyticsApplication } from './AnalyticsApplication';
import type { RepartitionedRow } from './rowCodec';
import { ShardProgress, type RecordPosition } from './ShardProgress';

/**
 * Feeds one shard's records into the application's engine and checkpoints the shard as far as
 * the open windows allow, after the outputs the records produced are written.
 */
export class AnalyticsRecordProcessor implements RecordProcessor {
  readonly #progress = new ShardProgress();
  /** The last record inserted: a batch the KCL retries after a failed output write is not inserted twice. */
  #lastInserted: string | undefined;
  #lastCheckpoint: string | undefined;

  constructor(
    readonly shardId: string,
    private readonly application: AnalyticsApplication,
    /** A record's rows: the input stream's records mapped by the input schema, or rows read back from the intermediate stream. */
    private readonly rowsOf: (record: UserRecord, shardId: string) => readonly RepartitionedRow[],
  ) {}

  initialize(input: InitializationInput): void {
    this.application.reportShardLag(this.shardId, undefined);
    this.#lastCheckpoint = `${input.startingSequenceNumber.sequenceNumber}/${input.startingSequenceNumber.subSequenceNumber}`;
  }

  async processRecords({ records, checkpointer, millisBehindLatest }: ProcessRecordsInput): Promise<void> {
    this.application.reportShardLag(this.shardId, millisBehindLatest ?? 0);
    const last = records[records.length - 1];
    if (last !== undefined && positionKey(last) !== this.#lastInserted) {
      for (const record of records) this.#insert(record);
      this.#lastInserted = positionKey(last);
    }
    await this.application.flushOutputs();
    await this.#checkpoint(checkpointer, this.application.engine.earliestNeededRowtime());
  }

  leaseLost(): void {
    this.application.forgetShard(this.shardId);
    // The rows this shard already gave to open windows stay in them; the new owner re-reads from
    // the checkpoint, so those windows may count them twice in this worker's engine (documented).
  }

  async shardEnded({ checkpointer }: { readonly checkpointer: Checkpointer }): Promise<void> {
    this.application.forgetShard(this.shardId);
    await this.application.flushOutputs();
    // The children cannot start before SHARD_END: open windows keep what they hold in memory.
    await checkpointer.checkpoint();
  }

  async shutdownRequested({ checkpointer }: { readonly checkpointer: Checkpointer }): Promise<void> {
    this.application.forgetShard(this.shardId);
    await this.application.flushOutputs();
    await this.#checkpoint(checkpointer, this.application.engine.earliestNeededRowtime());
  }

  #insert(record: UserRecord): void {
    const app = this.application;
    const rows = this.rowsOf(record, this.shardId);
    // ROWTIME never goes back (the engine clamps a late row the same way).
    const recordRowtime = Math.max(rows[0]?.rowtime ?? -Infinity, app.engine.rowtime);
    this.#progress.add({ rowtime: recordRowtime, sequenceNumber: record.sequenceNumber, subSequenceNumber: record.subSequenceNumber });
    for (const row of rows) {
      const rowtime = Math.max(row.rowtime, app.engine.rowtime);
      if ('error' in row) app.engine.reportError(row.error.name, row.error.message, { rowtime, id: row.id }, '', row.error.data);
      else app.insert({ rowtime, values: row.values, id: row.id });
    }
  }

  async #checkpoint(checkpointer: Checkpointer, neededRowtime: number | undefined): Promise<void> {
    const safe: RecordPosition | undefined = this.#progress.release(neededRowtime);
    if (safe === undefined) return;
    const key = `${safe.sequenceNumber}/${safe.subSequenceNumber}`;
    if (key === this.#lastCheckpoint) return;
    await checkpointer.checkpoint(safe.sequenceNumber, safe.subSequenceNumber);
    this.#lastCheckpoint = key;
  }
}

const positionKey = (record: UserRecord) => `${record.sequenceNumber}/${record.subSequenceNumber}`;
