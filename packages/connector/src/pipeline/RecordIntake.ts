import type { EventEmitter } from 'node:events';
import type { UserRecord } from '@kinesis-toolkit/kcl';
import type { RecordBuffer } from '../buffers/RecordBuffer';
import type { BatchPosition, ItemSource } from '../emitters/Emitter';
import { TransformError } from '../errors/TransformError';
import type { FailureRecord } from '../failures/FailureRecord';
import { toFailureRecord } from '../failures/toFailureRecord';
import type { TransformOutcome } from '../transformers/Transformer';
import type { FlushReason, PipelineEvents } from './PipelineEvents';
import type { ResolvedPipelineOptions } from './PipelineOptions';

/** A drained buffer with its items made emittable; items whose `toEmittable` threw are among `rejected`. */
export interface DrainedRecords<U> {
  readonly first: BatchPosition;
  readonly last: BatchPosition;
  readonly items: U[];
  readonly sources: ItemSource[];
  readonly bytes: number;
  readonly rejected: FailureRecord[];
  /** Every record taken since the last drain, when the emitter receives every record (see `Emitter.receivesEveryRecord`). */
  readonly records?: ItemSource[];
}

/**
 * The front half of a shard's pipeline: transforms records, filters and sizes their items, and
 * buffers them — or, for a record the transformer (or filter) rejected, keeps its failure record
 * to be dead-lettered with the batch it falls in, and covers its position so the checkpoint
 * after that batch moves past it.
 */
export class RecordIntake<T, U> {
  readonly buffer: RecordBuffer<T>;
  #rejected: FailureRecord[] = [];
  /** Every record taken since the last drain; kept only for an emitter that receives every record. */
  #records: ItemSource[] | undefined;
  /** The bytes of `#records`: they are held too, so they count toward the flush thresholds. */
  #recordBytes = 0;

  constructor(
    private readonly shardId: string,
    private readonly config: ResolvedPipelineOptions<T, U>,
    private readonly events: EventEmitter<PipelineEvents>,
  ) {
    this.buffer = config.buffer({ shardId, clock: config.clock });
    if (config.emitter.receivesEveryRecord === true) this.#records = [];
  }

  /** Whether anything (an item, a covered position, a rejected record) waits for a flush. */
  get isEmpty(): boolean {
    return this.buffer.startedAt === undefined && this.#rejected.length === 0;
  }

  /** Records held: buffered items plus rejected records. */
  get size(): number {
    return this.buffer.size + this.#rejected.length;
  }

  /** With a batch transformer, every record's outcome at once; otherwise undefined (use {@link transformOne}). */
  async transformBatch(records: readonly UserRecord[]): Promise<readonly TransformOutcome<T>[] | undefined> {
    const { transformer, streamName } = this.config;
    if (transformer.transformBatch === undefined) return undefined;
    try {
      const outcomes = await transformer.transformBatch(records, { streamName, shardId: this.shardId });
      if (outcomes.length !== records.length) throw new TransformError('TransformFailed', `transformBatch returned ${outcomes.length} outcomes for ${records.length} records`);
      return outcomes;
    } catch (error) {
      const failure = error instanceof TransformError ? error : new TransformError('TransformFailed', `transformBatch threw: ${messageOf(error)}`, { cause: error });
      return records.map(() => ({ error: failure }));
    }
  }

  async transformOne(record: UserRecord): Promise<TransformOutcome<T>> {
    try {
      const result = await this.config.transformer.toItem(record);
      return { items: Array.isArray(result) ? (result as readonly T[]) : [result as T] };
    } catch (error) {
      return { error: asTransformError(error, 'the transformer threw', record) };
    }
  }

  /** Buffers a record's kept items, or covers its position when it has none or was rejected. */
  take(record: UserRecord, outcome: TransformOutcome<T>): void {
    const source: ItemSource = {
      sequenceNumber: record.sequenceNumber,
      subSequenceNumber: record.subSequenceNumber,
      partitionKey: record.partitionKey,
      approximateArrivalTimestamp: record.approximateArrivalTimestamp,
      data: record.data,
    };
    if (this.#records !== undefined) {
      this.#records.push(source);
      this.#recordBytes += record.data.byteLength;
    }
    let error = 'error' in outcome ? outcome.error : undefined;
    let kept: { item: T; bytes: number }[] = [];
    if (error === undefined && 'items' in outcome) {
      try {
        // Filter and size every item first: a record is buffered whole or rejected whole.
        const { filter, itemBytes } = this.config;
        kept = outcome.items.filter((item) => filter === undefined || filter.keep(item)).map((item) => ({ item, bytes: itemBytes(item, record) }));
      } catch (thrown) {
        error = asTransformError(thrown, 'the filter or itemBytes threw', record);
      }
    }
    if (error !== undefined) {
      this.#rejected.push(toFailureRecord(this.shardId, source, error, 0, this.config.wallClock()));
      this.config.logger.warn({ shardId: this.shardId }, `${this.shardId}: record ${record.sequenceNumber}/${record.subSequenceNumber} rejected: ${error.message}`);
      this.events.emit('transformFailed', { shardId: this.shardId, sequenceNumber: record.sequenceNumber, subSequenceNumber: record.subSequenceNumber, error });
      this.buffer.cover(source);
    } else if (kept.length === 0) {
      this.buffer.cover(source);
    } else {
      for (const { item, bytes } of kept) this.buffer.add(item, bytes, source);
    }
  }

  /**
   * Which threshold is reached at `now`, if any (rejected records count toward `maxRecords` too;
   * records held for an emitter that receives every record toward `maxRecords` and `maxBytes`).
   */
  flushReason(now: number): FlushReason | undefined {
    const buffer = this.buffer;
    const held = this.#records?.length ?? 0;
    if (buffer.size >= buffer.maxRecords || this.#rejected.length >= buffer.maxRecords || held >= buffer.maxRecords) return 'count';
    if (buffer.bytes >= buffer.maxBytes || this.#recordBytes >= buffer.maxBytes) return 'bytes';
    return buffer.shouldFlush(now) ? 'age' : undefined;
  }

  /** Empties the buffer; items are converted with `toEmittable` (a throw rejects that item's record). */
  drain(): DrainedRecords<U> | undefined {
    const bytes = this.buffer.bytes;
    const drained = this.buffer.drain();
    const rejected = this.#rejected;
    this.#rejected = [];
    const records = this.#records;
    if (records !== undefined) this.#records = [];
    this.#recordBytes = 0;
    if (drained.first === undefined || drained.last === undefined) return undefined;
    const items: U[] = [];
    const sources: ItemSource[] = [];
    drained.items.forEach((item, i) => {
      const source = drained.sources[i]!;
      try {
        items.push(this.config.transformer.toEmittable(item));
        sources.push(source);
      } catch (error) {
        const failure = error instanceof TransformError ? error : new TransformError('EmittableFailed', `toEmittable threw: ${messageOf(error)}`, { cause: error });
        rejected.push(toFailureRecord(this.shardId, source, failure, 0, this.config.wallClock()));
      }
    });
    return { first: drained.first, last: drained.last, items, sources, bytes, rejected, ...(records !== undefined ? { records } : {}) };
  }
}

function messageOf(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}

function asTransformError(error: unknown, what: string, record: UserRecord): Error {
  if (error instanceof TransformError) return error;
  return new TransformError('TransformFailed', `${what} on record ${record.sequenceNumber}/${record.subSequenceNumber}: ${messageOf(error)}`, {
    cause: error,
    context: { partitionKey: record.partitionKey, sequenceNumber: record.sequenceNumber },
  });
}
