import { InvalidArgumentError, requireObject } from '@kinesis-toolkit/core';
import type { UserRecord } from '@kinesis-toolkit/kcl';
import { TransformError } from '../errors/TransformError';
import type { TransformContext, TransformOutcome, Transformer } from './Transformer';
import { setLambdaPartitionKeys } from './lambdaPartitionKeys';

/** One record as a Firehose transformation function receives it. */
export interface FirehoseInputRecord {
  /** Unique within one call; the result for this record must carry it back. */
  readonly recordId: string;
  /** The record's bytes, base64. */
  readonly data: string;
  /** Epoch milliseconds (0 if Kinesis gave none). */
  readonly approximateArrivalTimestamp: number;
  readonly kinesisRecordMetadata: {
    readonly shardId: string;
    readonly partitionKey: string;
    readonly approximateArrivalTimestamp: number;
    readonly sequenceNumber: string;
    readonly subsequenceNumber: number;
  };
}

/** The event a Firehose transformation function receives: Firehose's Lambda event, minus what has no meaning here. */
export interface FirehoseTransformationEvent {
  /** Unique per call: `${shardId}:${first sequence number}.${first sub-sequence number}`. */
  readonly invocationId: string;
  readonly sourceKinesisStreamArn?: string;
  readonly deliveryStreamArn?: string;
  readonly region?: string;
  readonly records: readonly FirehoseInputRecord[];
}

/** One record as a Firehose transformation function returns it. */
export interface FirehoseResultRecord {
  readonly recordId: string;
  readonly result: 'Ok' | 'Dropped' | 'ProcessingFailed';
  /** The transformed bytes, base64 (required for `Ok`). */
  readonly data?: string;
  /** Dynamic partitioning: the record's `!{partitionKeyFromLambda:NAME}` values. */
  readonly metadata?: { readonly partitionKeys?: Readonly<Record<string, string>> };
}

/** What a Firehose transformation function returns: Lambda's `{ records }`, or just the array. */
export type FirehoseTransformationResult = { readonly records: readonly FirehoseResultRecord[] } | readonly FirehoseResultRecord[];

/** A Firehose transformation function (an existing Lambda handler fits, if it returns or resolves its answer). */
export type FirehoseTransformFunction = (event: FirehoseTransformationEvent) => FirehoseTransformationResult | Promise<FirehoseTransformationResult>;

/** Options of {@link FirehoseTransformer}: extra fields for the event, for functions that read them. */
export interface FirehoseTransformerOptions {
  readonly sourceKinesisStreamArn?: string;
  readonly deliveryStreamArn?: string;
  readonly region?: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Runs a Firehose data-transformation function as a pipeline transformer, so functions written
 * for Firehose keep working. The pipeline calls it once per `processRecords` batch
 * (`transformBatch`); each record's result decides its fate, as in Firehose:
 *
 * - `Ok`: the item is the decoded `data` (a Buffer), emitted as is;
 * - `Dropped`: no item; the record counts as done (checkpointed past);
 * - `ProcessingFailed`, no result with the record's `recordId`, several results with it, or a
 *   malformed result: the record goes to the failure sink with a {@link TransformError}
 *   (`ProcessingFailed`, `MissingRecordId`, `DuplicatedRecordId`, `InvalidResult`).
 *
 * A function that throws (or answers with something that is not a list of results) fails every
 * record of that call. Results whose `recordId` matches no record are ignored (their record is
 * the one reported as `MissingRecordId`).
 */
export class FirehoseTransformer implements Transformer<Buffer, Buffer> {
  constructor(
    private readonly fn: FirehoseTransformFunction,
    private readonly options: FirehoseTransformerOptions = {},
  ) {
    if (typeof fn !== 'function') throw new InvalidArgumentError('fn', 'a Firehose transformation function', fn);
    requireObject('options', options);
  }

  /** Transforms one record on its own (one call of the function); throws its `TransformError`. */
  async toItem(record: UserRecord): Promise<readonly Buffer[]> {
    const [outcome] = await this.transformBatch([record], { streamName: '', shardId: '' });
    if (outcome === undefined) throw new TransformError('InvalidResult', 'no outcome for the record');
    if ('error' in outcome) throw outcome.error;
    return outcome.items;
  }

  toEmittable(item: Buffer): Buffer {
    return item;
  }

  async transformBatch(records: readonly UserRecord[], context: TransformContext): Promise<readonly TransformOutcome<Buffer>[]> {
    if (records.length === 0) return [];
    const input = records.map((record) => toInputRecord(record, context.shardId));
    const event: FirehoseTransformationEvent = { ...this.#eventFields(), invocationId: `${context.shardId}:${input[0]!.recordId}`, records: input };
    let results: readonly FirehoseResultRecord[];
    try {
      const answer = await this.fn(event);
      const list = Array.isArray(answer) ? answer : (answer as { records?: unknown } | null | undefined)?.records;
      if (!Array.isArray(list)) throw new TransformError('InvalidResult', 'the transformation function must return { records: [...] } or an array of results');
      results = list as readonly FirehoseResultRecord[];
    } catch (error) {
      const failure =
        error instanceof TransformError ? error : new TransformError('TransformFailed', `the transformation function threw: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      return records.map(() => ({ error: failure }));
    }
    const byId = new Map<string, FirehoseResultRecord[]>();
    for (const result of results) {
      const id = (result as { recordId?: unknown } | null)?.recordId;
      if (typeof id === 'string') byId.set(id, [...(byId.get(id) ?? []), result]);
    }
    return input.map((inputRecord) => outcomeOf(inputRecord, byId.get(inputRecord.recordId)));
  }

  #eventFields(): Omit<FirehoseTransformationEvent, 'invocationId' | 'records'> {
    const { sourceKinesisStreamArn, deliveryStreamArn, region } = this.options;
    return Object.fromEntries(Object.entries({ sourceKinesisStreamArn, deliveryStreamArn, region }).filter(([, value]) => value !== undefined));
  }
}

/** Shorthand for `new FirehoseTransformer(fn, options)`. */
export function firehoseTransformer(fn: FirehoseTransformFunction, options?: FirehoseTransformerOptions): FirehoseTransformer {
  return new FirehoseTransformer(fn, options);
}

function toInputRecord(record: UserRecord, shardId: string): FirehoseInputRecord {
  const arrival = record.approximateArrivalTimestamp?.getTime() ?? 0;
  return {
    // Sequence plus sub-sequence number: unique within a shard, so within any one call.
    recordId: `${record.sequenceNumber}.${record.subSequenceNumber}`,
    data: record.data.toString('base64'),
    approximateArrivalTimestamp: arrival,
    kinesisRecordMetadata: {
      shardId,
      partitionKey: record.partitionKey,
      approximateArrivalTimestamp: arrival,
      sequenceNumber: record.sequenceNumber,
      subsequenceNumber: record.subSequenceNumber,
    },
  };
}

function outcomeOf(input: FirehoseInputRecord, results: readonly FirehoseResultRecord[] | undefined): TransformOutcome<Buffer> {
  const id = input.recordId;
  const fail = (code: 'ProcessingFailed' | 'MissingRecordId' | 'DuplicatedRecordId' | 'InvalidResult', message: string) => ({
    error: new TransformError(code, `record ${id}: ${message}`, {
      context: { partitionKey: input.kinesisRecordMetadata.partitionKey, sequenceNumber: input.kinesisRecordMetadata.sequenceNumber },
    }),
  });
  if (results === undefined) return fail('MissingRecordId', 'the transformation function returned no result with this recordId');
  if (results.length > 1) return fail('DuplicatedRecordId', `the transformation function returned ${results.length} results with this recordId`);
  const result = results[0]!;
  switch (result.result) {
    case 'Dropped':
      return { items: [] };
    case 'ProcessingFailed':
      return fail('ProcessingFailed', 'the transformation function returned ProcessingFailed');
    case 'Ok':
      if (typeof result.data !== 'string' || result.data.length % 4 !== 0 || !BASE64.test(result.data)) {
        return fail('InvalidResult', 'result Ok without base64 data');
      }
      return { items: [withLambdaKeys(Buffer.from(result.data, 'base64'), result.metadata?.partitionKeys)] };
    default:
      return fail('InvalidResult', `result must be Ok, Dropped or ProcessingFailed, got ${JSON.stringify(result.result)}`);
  }
}

/** Keeps a result's `metadata.partitionKeys` (string values only) beside its item, for `!{partitionKeyFromLambda:…}`. */
function withLambdaKeys(item: Buffer, keys: unknown): Buffer {
  if (keys !== null && typeof keys === 'object' && Object.values(keys).every((value) => typeof value === 'string')) setLambdaPartitionKeys(item, keys as Record<string, string>);
  return item;
}
