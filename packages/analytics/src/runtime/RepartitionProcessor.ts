import type { Checkpointer, ProcessRecordsInput, RecordProcessor, UserRecord } from '@kinesis-toolkit/kcl';
import type { KinesisProducer } from '@kinesis-toolkit/kpl';
import type { RepartitionPlan } from '../plan/repartitionPlan';
import type { AnalyticsApplication } from './AnalyticsApplication';
import { encodeRow } from './rowCodec';

/** Partition key of the rows that carry an unreadable input record to error_stream. */
const ERRORS_KEY = 'error_stream';

/**
 * The first stage of a repartitioned application: maps each input record to rows (with their
 * ROWTIME) and puts them on the intermediate stream keyed by the grouping key, so every group
 * reaches one worker's engine. A batch is checkpointed once all its rows are acknowledged.
 */
export class RepartitionProcessor implements RecordProcessor {
  #lastPut: UserRecord | undefined;

  constructor(
    readonly shardId: string,
    private readonly application: AnalyticsApplication,
    private readonly producer: KinesisProducer,
    private readonly plan: RepartitionPlan,
  ) {}

  async processRecords({ records, checkpointer }: ProcessRecordsInput): Promise<void> {
    const puts: Promise<unknown>[] = [];
    for (const record of records) {
      for (const row of this.application.rowsOfInputRecord(record, this.shardId)) {
        const partitionKey = 'error' in row ? ERRORS_KEY : this.plan.keyOf(row.values, row.rowtime);
        puts.push(this.producer.put({ partitionKey, data: encodeRow(row) }));
      }
    }
    await Promise.all(puts);
    this.#lastPut = records[records.length - 1] ?? this.#lastPut;
    if (this.#lastPut !== undefined) await checkpointer.checkpoint(this.#lastPut);
  }

  async shardEnded({ checkpointer }: { readonly checkpointer: Checkpointer }): Promise<void> {
    await checkpointer.checkpoint();
  }

  async shutdownRequested({ checkpointer }: { readonly checkpointer: Checkpointer }): Promise<void> {
    if (this.#lastPut !== undefined) await checkpointer.checkpoint(this.#lastPut);
  }
}
