import { AggregateBuilder, RecordTooLargeError } from '@kinesis-toolkit/aggregation';
import type { OutgoingRecord, PendingRecord } from './PendingRecord';
import type { ShardBuffer } from './ShardBuffer';

/** What the packer needs of the producer's configuration. */
export interface PackerConfig {
  readonly aggregationEnabled: boolean;
  readonly aggregationMaxBytes: number;
  readonly aggregationMaxCount: number;
}

/**
 * Turns buffered user records into Kinesis records: KPL aggregates of up to
 * `aggregationMaxBytes`/`aggregationMaxCount`, or single records when aggregation is off or a
 * record is too large to aggregate. Exact sizes come from the {@link AggregateBuilder}.
 */
export class RecordPacker {
  readonly #builder: AggregateBuilder | undefined;

  constructor(private readonly config: PackerConfig) {
    this.#builder = config.aggregationEnabled
      ? new AggregateBuilder({ maxBytes: config.aggregationMaxBytes, maxCount: config.aggregationMaxCount })
      : undefined;
  }

  /** Whether a buffer holds at least one full Kinesis record's worth. */
  isFull(buffer: ShardBuffer): boolean {
    if (this.#builder === undefined) return buffer.size > 0;
    return buffer.size >= this.config.aggregationMaxCount || buffer.estimatedBytes >= (buffer.fullAtBytes ?? this.config.aggregationMaxBytes);
  }

  /**
   * Packs records from the front of `buffer`. With `onlyFull`, a trailing aggregate that could
   * still grow stays in the buffer. At most `limit` Kinesis records are made.
   */
  pack(buffer: ShardBuffer, predictedShardId: string | undefined, onlyFull: boolean, limit: number): OutgoingRecord[] {
    const out: OutgoingRecord[] = [];
    const builder = this.#builder;
    const records = buffer.records;
    let consumed = 0;
    let start = 0;
    while (consumed < records.length && out.length < limit) {
      const record = records[consumed]!;
      if (builder === undefined || record.bytes + 64 > this.config.aggregationMaxBytes) {
        if (builder !== undefined && builder.count > 0) {
          out.push(this.#outgoing(builder, records.slice(start, consumed), buffer.routeKey, predictedShardId));
          start = consumed;
          continue;
        }
        out.push(single(record, buffer.routeKey, predictedShardId));
        start = ++consumed;
        continue;
      }
      let added: boolean;
      try {
        added = builder.tryAdd(record);
      } catch (error) {
        // Too large for even an empty aggregate (its explicit hash key adds overhead): send it alone.
        if (!(error instanceof RecordTooLargeError) || builder.count > 0) throw error;
        out.push(single(record, buffer.routeKey, predictedShardId));
        start = ++consumed;
        continue;
      }
      if (added) {
        consumed++;
        continue;
      }
      out.push(this.#outgoing(builder, records.slice(start, consumed), buffer.routeKey, predictedShardId));
      start = consumed;
    }
    if (builder !== undefined && builder.count > 0) {
      if (!onlyFull && out.length < limit) {
        out.push(this.#outgoing(builder, records.slice(start, consumed), buffer.routeKey, predictedShardId));
        start = consumed;
      } else {
        // The estimate (which counts a repeated key once per record) said full, but the aggregate
        // can still grow: do not try again until the estimate has grown by the real room left.
        if (out.length === 0) buffer.fullAtBytes = buffer.estimatedBytes + (this.config.aggregationMaxBytes - builder.sizeBytes);
        builder.reset();
      }
    }
    buffer.take(start);
    if (out.length > 0) buffer.fullAtBytes = undefined;
    return out;
  }

  #outgoing(builder: AggregateBuilder, records: PendingRecord[], routeKey: string, predictedShardId: string | undefined): OutgoingRecord {
    const built = builder.build();
    return {
      records,
      partitionKey: built.partitionKey,
      explicitHashKey: built.explicitHashKey,
      data: built.data,
      bytes: built.data.length + Buffer.byteLength(built.partitionKey),
      aggregated: built.aggregated,
      routeKey,
      predictedShardId,
      deadline: earliestDeadline(records),
    };
  }
}

function single(record: PendingRecord, routeKey: string, predictedShardId: string | undefined): OutgoingRecord {
  return {
    records: [record],
    partitionKey: record.partitionKey,
    explicitHashKey: record.explicitHashKey,
    data: record.data,
    bytes: record.bytes,
    aggregated: false,
    routeKey,
    predictedShardId,
    deadline: record.deadline,
  };
}

function earliestDeadline(records: readonly PendingRecord[]): number {
  let earliest = Infinity;
  for (const record of records) if (record.deadline < earliest) earliest = record.deadline;
  return earliest;
}
