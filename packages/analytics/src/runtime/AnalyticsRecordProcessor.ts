import type { Checkpointer, InitializationInput, ProcessRecordsInput, RecordProcessor, UserRecord } from '@kinesis-toolkit/kcl';
import type { AnalyticsApplication } from './AnalyticsApplication';
import type { RepartitionedRow } from './rowCodec';
import type { RecordPosition } from './ShardProgress';

/**
 * Feeds one shard's records into the application's engine and checkpoints the shard as far as
 * the open windows allow, after the outputs the records produced are written. A row the engine
 * already has (the KCL delivers at least once: a batch retried, records re-read after this worker
 * took a lost shard back; or a row put twice on the intermediate stream) is not inserted again.
 */
export class AnalyticsRecordProcessor implements RecordProcessor {
  #lastCheckpoint: string | undefined;

  constructor(
    readonly shardId: string,
    private readonly application: AnalyticsApplication,
    /** A record's rows: the input stream's records mapped by the input schema, or rows read back from the intermediate stream. */
    private readonly rowsOf: (record: UserRecord, shardId: string) => readonly RepartitionedRow[],
  ) {}

  /** What the engine holds of this shard: kept by the application across lease losses. */
  get #intake() {
    return this.application.intakeOf(this.shardId);
  }

  initialize(input: InitializationInput): void {
    this.application.reportShardLag(this.shardId, undefined);
    // Records up to the checkpoint need no holding back (this worker, or the one it took the shard from, wrote it).
    this.#intake.progress.discardThrough(input.startingSequenceNumber);
    this.#lastCheckpoint = `${input.startingSequenceNumber.sequenceNumber}/${input.startingSequenceNumber.subSequenceNumber}`;
  }

  async processRecords({ records, checkpointer, millisBehindLatest }: ProcessRecordsInput): Promise<void> {
    this.application.reportShardLag(this.shardId, millisBehindLatest ?? 0);
    for (const record of records) this.#insert(record);
    await this.application.flushOutputs();
    await this.#checkpoint(checkpointer, this.application.engine.earliestNeededRowtime());
  }

  leaseLost(): void {
    this.application.forgetShard(this.shardId);
    // The rows this shard gave to open windows stay in them. If this worker takes the shard back,
    // the re-read rows are recognised and skipped; if another worker takes it, that worker rebuilds
    // the windows from the checkpoint and this one may emit its partial rows (README, known limits).
  }

  async shardEnded({ checkpointer }: { readonly checkpointer: Checkpointer }): Promise<void> {
    this.application.forgetShard(this.shardId);
    await this.application.flushOutputs();
    // The children cannot start before SHARD_END: open windows keep what they hold in memory.
    await checkpointer.checkpoint();
    this.application.endShard(this.shardId);
  }

  async shutdownRequested({ checkpointer }: { readonly checkpointer: Checkpointer }): Promise<void> {
    this.application.forgetShard(this.shardId);
    await this.application.flushOutputs();
    await this.#checkpoint(checkpointer, this.application.engine.earliestNeededRowtime());
  }

  #insert(record: UserRecord): void {
    const app = this.application;
    const { progress, delivered } = this.#intake;
    const rows = this.rowsOf(record, this.shardId).filter((row) => delivered.admit(row.id));
    // Nothing new (a re-delivery): the record is already held back in progress, or was released.
    if (rows.length === 0) return;
    // ROWTIME never goes back (the engine clamps a late row the same way).
    const recordRowtime = Math.max(rows[0]!.rowtime, app.engine.rowtime);
    progress.add({ rowtime: recordRowtime, sequenceNumber: record.sequenceNumber, subSequenceNumber: record.subSequenceNumber });
    for (const row of rows) {
      const rowtime = Math.max(row.rowtime, app.engine.rowtime);
      if ('error' in row) app.engine.reportError(row.error.name, row.error.message, { rowtime, id: row.id }, '', row.error.data);
      else app.insert({ rowtime, values: row.values, id: row.id });
    }
  }

  async #checkpoint(checkpointer: Checkpointer, neededRowtime: number | undefined): Promise<void> {
    const safe: RecordPosition | undefined = this.#intake.progress.release(neededRowtime);
    if (safe === undefined) return;
    const key = `${safe.sequenceNumber}/${safe.subSequenceNumber}`;
    if (key === this.#lastCheckpoint) return;
    await checkpointer.checkpoint(safe.sequenceNumber, safe.subSequenceNumber);
    this.#lastCheckpoint = key;
  }
}
