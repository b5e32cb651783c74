import { AggregateBuilder, RecordTooLargeError } from '@kinesis-toolkit/aggregation';
import type { KeyLanes } from '../ordering/KeyLanes';
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
 * record is too large to aggregate. Exact sizes come from the {@link AggregateBuilder}; records
 * were validated once, at `put()`, so they go in unchecked.
 *
 * With `preserveOrder` (a {@link KeyLanes}), a record whose key already has a Kinesis record out
 * is not packed: it moves to its key's lane, to wait for that one's answer. Settled records (past
 * their TTL while buffered) are dropped as they are met.
 */
export class RecordPacker {
  readonly #builder: AggregateBuilder | undefined;

  constructor(
    private readonly config: PackerConfig,
    private readonly lanes: KeyLanes | undefined,
  ) {
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
   * Packs records from the front of `buffer`, every full Kinesis record at once. With `onlyFull`,
   * a trailing aggregate that could still grow stays in the buffer.
   */
  pack(buffer: ShardBuffer, onlyFull: boolean): OutgoingRecord[] {
    const out: OutgoingRecord[] = [];
    const builder = this.#builder;
    const lanes = this.lanes;
    const tooLargeToAggregate = this.config.aggregationMaxBytes - 64;
    const records = buffer.records;
    let current: PendingRecord[] = [];
    let parked: PendingRecord[] | undefined;
    // Records before `start` are done with (packed, parked or dropped); those from it on are the
    // aggregate being built, and any records skipped among them.
    let start = 0;
    let skippedInTail = false;
    let i = 0;
    while (i < records.length) {
      const record = records[i]!;
      if (record.settled || (lanes !== undefined && lanes.blocked(record))) {
        if (!record.settled) (parked ??= []).push(record);
        i++;
        if (current.length === 0) start = i;
        else skippedInTail = true;
        continue;
      }
      if (builder === undefined || record.bytes > tooLargeToAggregate) {
        if (current.length > 0) {
          // Close the aggregate first; this record is looked at again (its key may now be blocked).
          out.push(this.#finish(builder!, current, buffer));
          current = [];
          skippedInTail = false;
          start = i;
          continue;
        }
        out.push(this.#single(record, buffer));
        start = ++i;
        continue;
      }
      let added: boolean;
      try {
        added = builder.tryAddValidated(record);
      } catch (error) {
        // Too large for even an empty aggregate (its explicit hash key adds overhead): send it alone.
        if (!(error instanceof RecordTooLargeError) || builder.count > 0) throw error;
        out.push(this.#single(record, buffer));
        start = ++i;
        continue;
      }
      if (added) {
        current.push(record);
        i++;
        continue;
      }
      out.push(this.#finish(builder, current, buffer));
      current = [];
      skippedInTail = false;
      start = i;
    }
    if (current.length > 0) {
      if (!onlyFull) {
        out.push(this.#finish(builder!, current, buffer));
        skippedInTail = false;
        start = records.length;
      } else {
        // The estimate (which counts a repeated key once per record) said full, but the aggregate
        // can still grow: do not try again until the estimate has grown by the real room left.
        if (out.length === 0) buffer.fullAtBytes = buffer.estimatedBytes + (this.config.aggregationMaxBytes - builder!.sizeBytes);
        builder!.reset();
      }
    }
    if (!skippedInTail) buffer.drop(start);
    else buffer.takeAndDrop(start, (record) => record.settled || (lanes !== undefined && lanes.blocked(record)));
    if (out.length > 0) buffer.fullAtBytes = undefined;
    if (parked !== undefined) lanes!.park(parked);
    return out;
  }

  #finish(builder: AggregateBuilder, records: PendingRecord[], buffer: ShardBuffer): OutgoingRecord {
    const built = builder.build();
    let deadline = Infinity;
    for (const record of records) if (record.deadline < deadline) deadline = record.deadline;
    return this.#sending({
      records,
      partitionKey: built.partitionKey,
      explicitHashKey: built.explicitHashKey,
      data: built.data,
      bytes: built.data.length + Buffer.byteLength(built.partitionKey),
      aggregated: built.aggregated,
      routeKey: buffer.routeKey,
      predictedShardId: buffer.predictedShardId,
      deadline,
      stage: 'metered',
    });
  }

  #single(record: PendingRecord, buffer: ShardBuffer): OutgoingRecord {
    return this.#sending({
      records: [record],
      partitionKey: record.partitionKey,
      explicitHashKey: record.explicitHashKey,
      data: record.data,
      bytes: record.bytes,
      aggregated: false,
      routeKey: buffer.routeKey,
      predictedShardId: buffer.predictedShardId,
      deadline: record.deadline,
      stage: 'metered',
    });
  }

  /** Ties the records to the Kinesis record that now carries them. */
  #sending(outgoing: OutgoingRecord): OutgoingRecord {
    for (const record of outgoing.records) record.outgoing = outgoing;
    this.lanes?.sending(outgoing);
    return outgoing;
  }
}
