import type { KinesisProducer } from '@kinesis-toolkit/kpl';
import { formatDestinationRecord } from '../config/formatDestinationRecord';
import type { AnalyticsOutput, OutputRow } from './AnalyticsOutput';
import { rowKey } from './rowKey';

/**
 * Writes rows to a Kinesis data stream through a {@link KinesisProducer}, as KDA's destination
 * formats (JSON or CSV). Each record's partition key is the row's deterministic id, so a consumer
 * drops the duplicates a failover replays by remembering recent keys.
 */
export class KinesisStreamOutput implements AnalyticsOutput {
  constructor(
    private readonly producer: KinesisProducer,
    private readonly format: 'JSON' | 'CSV' = 'JSON',
  ) {}

  async write(rows: readonly OutputRow[]): Promise<void> {
    await Promise.all(rows.map((row) => this.producer.put({ partitionKey: rowKey(row), data: formatDestinationRecord(this.format, row.columns, row.row) })));
  }

  async close(): Promise<void> {
    await this.producer.flush();
  }
}
