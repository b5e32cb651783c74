import type { Emitter } from '@kinesis-toolkit/connector';
import { formatOutputRow } from '../engine/formatOutputRow';
import { AnalyticsError } from '../errors/AnalyticsError';
import type { AnalyticsOutput, OutputRow } from './AnalyticsOutput';
import { rowKey } from './rowKey';

/**
 * Hands rows to a connector {@link Emitter} (S3, DynamoDB, PostgreSQL, Redshift, HTTP, …) as
 * objects of the stream's columns (plus ROWTIME and id). Items the emitter reports failed make
 * `write` reject, so the KCL retries the batch; the emitter's own retry policy applies inside.
 */
export class EmitterOutput implements AnalyticsOutput {
  #batches = 0;

  constructor(
    private readonly emitter: Emitter<Record<string, unknown>>,
    private readonly applicationName: string,
  ) {}

  async write(rows: readonly OutputRow[]): Promise<void> {
    if (rows.length === 0) return;
    const items = rows.map((row) => ({ ...formatOutputRow(row.stream, row.columns, row.row), id: row.row.id }));
    const position = { sequenceNumber: '0', subSequenceNumber: 0 };
    const result = await this.emitter.emit({
      streamName: rows[0]!.stream,
      shardId: this.applicationName,
      batchId: `${this.applicationName}-${++this.#batches}`,
      items,
      sources: rows.map((row) => ({ ...position, partitionKey: rowKey(row), data: Buffer.from(row.row.id) })),
      first: position,
      last: position,
      attempt: 1,
    });
    if (result.failed.length > 0) {
      throw new AnalyticsError('OUTPUT_FAILED', `${result.failed.length} of ${rows.length} rows of ${rows[0]!.stream} were not written by the emitter; the batch will be retried`, { retryable: true, context: { streamName: rows[0]!.stream } });
    }
  }

  async close(): Promise<void> {
    await this.emitter.shutdown?.();
  }
}
