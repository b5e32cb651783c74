import type { EmitBatch, Emitter, EmitResult } from '@kinesis-toolkit/connector';
import { recordId, type DeliveredRow, type DemoRecord } from './DemoRecord';

/**
 * The demo pipeline's emitter: turns each buffered demo record into a {@link DeliveredRow} —
 * stamped with its shard, sequence and sub-sequence number (from the batch) and the time it is
 * written — hands the rows to `sink` (the S3 + PostgreSQL tee), and reports the ids of the rows
 * every sink took, for the progress display.
 */
export class DeliveryEmitter implements Emitter<DemoRecord> {
  constructor(
    private readonly sink: Emitter<DeliveredRow>,
    private readonly report: (ids: string[]) => void,
    private readonly wallClock: () => number = Date.now,
  ) {}

  async emit(batch: EmitBatch<DemoRecord>): Promise<EmitResult<DemoRecord>> {
    const emittedAt = this.wallClock();
    const rows = batch.items.map((item, index): DeliveredRow => {
      const source = batch.sources[index];
      if (source === undefined) throw new TypeError(`batch ${batch.batchId}: item ${index} has no source position`);
      return { ...item, shardId: batch.shardId, sequenceNumber: source.sequenceNumber, subSequenceNumber: source.subSequenceNumber, emittedAt };
    });
    const result = await this.sink.emit({ ...batch, items: rows });
    const failedRows = new Set(result.failed);
    const failed: DemoRecord[] = [];
    const done: string[] = [];
    rows.forEach((row, index) => {
      if (failedRows.has(row)) failed.push(batch.items[index]!);
      else done.push(recordId(row));
    });
    if (done.length > 0) this.report(done);
    return { failed };
  }

  async fail(items: readonly DemoRecord[], error: Error): Promise<void> {
    await this.sink.fail?.(items as DeliveredRow[], error);
  }

  async shutdown(): Promise<void> {
    await this.sink.shutdown?.();
  }
}
