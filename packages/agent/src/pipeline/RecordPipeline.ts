import { InvalidRecordError, RecordTooLargeError } from '@kinesis-toolkit/aggregation';
import { InvalidArgumentError, KinesisToolkitError, isToolkitError } from '@kinesis-toolkit/core';
import type { DataConverter } from '../processing/DataConverter';
import type { PartitionKeyStrategy } from './PartitionKeyStrategy';
import { RecordAggregator } from './RecordAggregator';
import type { SourceRecord } from './SourceRecord';

/** The part of `KinesisProducer` the pipeline uses (tests pass a fake). */
export interface RecordPutter {
  put(record: { partitionKey: string; data: Buffer }): Promise<unknown>;
  flush(): Promise<void>;
  readonly hasCapacity: boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** Counts of one run. */
export interface PipelineStats {
  /** Records acknowledged by Kinesis. */
  readonly sent: number;
  /** Records not sent: processing failed, or the put failed; each was reported on its own line. */
  readonly failed: number;
  /** Records cut to the size limit (sent, with the truncated-record terminator). */
  readonly truncated: number;
}

/** Options of a {@link RecordPipeline}. */
export interface RecordPipelineOptions {
  readonly producer: RecordPutter;
  /** The `dataProcessingOptions`, in order. */
  readonly converters: readonly DataConverter[];
  /** Undefined: no partition key (Firehose). */
  readonly partitionKey: PartitionKeyStrategy | undefined;
  /** Ends a record that was cut to the size limit (the agent's `truncatedRecordTerminator`). */
  readonly truncatedRecordTerminator: string;
  /** Prints one line about one record (a failure, a truncation). */
  readonly report: (message: string) => void;
  /**
   * Join consecutive records into one put of at most this many bytes (the agent's
   * `aggregatedRecordSizeBytes`; Firehose only: `partitionKey` must be undefined); 0: one put per record.
   * @defaultValue 0
   */
  readonly aggregatedRecordSizeBytes?: number;
}

const NEWLINE = Buffer.from('\n');

/**
 * What happens to each record between the source and Kinesis: processing options, the
 * record terminator (`\n`, as the agent sends it), the partition key, `put()` — and then its
 * outcome goes back to the source for the checkpoint. Every record ends acknowledged or
 * reported: a failure prints one line with the error's code and counts.
 */
export class RecordPipeline {
  readonly #options: RecordPipelineOptions;
  readonly #terminator: Buffer;
  readonly #aggregator: RecordAggregator<SourceRecord> | undefined;
  #sent = 0;
  #failed = 0;
  #truncated = 0;
  #inFlight = 0;
  #idle: (() => void)[] = [];

  constructor(options: RecordPipelineOptions) {
    this.#options = options;
    this.#terminator = Buffer.from(options.truncatedRecordTerminator, 'utf8');
    const aggregate = options.aggregatedRecordSizeBytes ?? 0;
    if (aggregate > 0 && options.partitionKey !== undefined) throw new InvalidArgumentError('aggregatedRecordSizeBytes', '0 with a partition key (records are joined for Firehose only)', aggregate);
    this.#aggregator = aggregate > 0 ? new RecordAggregator(aggregate) : undefined;
  }

  get stats(): PipelineStats {
    return { sent: this.#sent, failed: this.#failed, truncated: this.#truncated };
  }

  /** Puts not settled yet (with aggregation, one put carries several records). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Processes and puts one record; its outcome arrives through `record.settle`. */
  submit(record: SourceRecord): void {
    let payload: Buffer;
    let partitionKey: string;
    try {
      let data = record.data;
      if (this.#options.converters.length > 0) {
        let text = data.toString('utf8');
        for (const converter of this.#options.converters) text = converter.convert(text);
        data = Buffer.from(text, 'utf8');
      }
      payload = Buffer.concat([data, record.truncated ? this.#terminator : NEWLINE]);
      partitionKey = this.#options.partitionKey?.keyFor(payload) ?? '';
    } catch (error) {
      this.#fail([record], error, 'dropped');
      return;
    }
    if (record.truncated) {
      this.#truncated += 1;
      this.#options.report(`record at ${record.location} was longer than the record size limit: sent its first ${payload.length - this.#terminator.length} bytes`);
    }
    if (this.#aggregator === undefined) {
      this.#put(payload, partitionKey, [record]);
      return;
    }
    for (const aggregate of this.#aggregator.add(payload, record)) this.#put(aggregate.data, '', aggregate.parts);
  }

  /**
   * The source handed on everything it has read for now: the aggregate being built (with
   * `aggregatedRecordSizeBytes`) is put as it is — aggregation never waits for more lines.
   */
  endOfRead(): void {
    const aggregate = this.#aggregator?.flush();
    if (aggregate !== undefined) this.#put(aggregate.data, '', aggregate.parts);
  }

  #put(data: Buffer, partitionKey: string, records: readonly SourceRecord[]): void {
    this.#inFlight += 1;
    let put: Promise<unknown>;
    try {
      put = this.#options.producer.put({ partitionKey, data });
    } catch (error) {
      put = Promise.reject(error);
    }
    put
      .then(
        () => {
          this.#sent += records.length;
          for (const record of records) record.settle('acknowledged');
        },
        (error: unknown) => {
          // Bad input fails the same way every time: pass over it. Anything else (a put that
          // failed or expired) keeps the checkpoint, so a restart sends the record again.
          const permanent = error instanceof InvalidRecordError || error instanceof RecordTooLargeError || (isToolkitError(error) && error.code === 'RecordTooLarge');
          this.#fail(records, error, permanent ? 'dropped' : 'failed');
        },
      )
      .finally(() => {
        this.#inFlight -= 1;
        if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
  }

  /** Resolves when the producer takes more records without waiting (backpressure for the readers). */
  async waitForRoom(): Promise<void> {
    // A reader waits between chunks: what it read so far is all there is for now.
    this.endOfRead();
    if (this.#options.producer.hasCapacity) return;
    await new Promise<void>((resolve) => this.#options.producer.once('drain', resolve));
  }

  /** Sends everything buffered and resolves once every record submitted so far has settled. */
  async drain(): Promise<void> {
    this.endOfRead();
    await this.#options.producer.flush();
    if (this.#inFlight > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #fail(records: readonly SourceRecord[], error: unknown, outcome: 'dropped' | 'failed'): void {
    this.#failed += records.length;
    const code = error instanceof KinesisToolkitError ? error.code : error instanceof Error ? error.name : 'Error';
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
    const which = records.length === 1 ? `record at ${records[0]!.location}` : `${records.length} records joined (aggregatedRecordSizeBytes) at ${records[0]!.location} to ${records[records.length - 1]!.location}`;
    this.#options.report(`${which} not sent [${code}]: ${message}`);
    for (const record of records) record.settle(outcome);
  }
}
