import type { ItemSource } from '../emitters/Emitter';
import type { FailureRecord } from './FailureRecord';

/** The code a failure record carries: the error's `code`, else its `name`. */
export function errorCodeOf(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (typeof code === 'string' && code !== '') return code;
  return typeof name === 'string' && name !== '' ? name : 'Error';
}

/** Builds the Firehose-format failure record of one source record. */
export function toFailureRecord(shardId: string, source: ItemSource, error: unknown, attemptsMade: number, endedAtMs: number): FailureRecord {
  const arrival = source.approximateArrivalTimestamp?.getTime() ?? 0;
  return {
    attemptsMade,
    arrivalTimestamp: arrival,
    errorCode: errorCodeOf(error),
    errorMessage: error instanceof Error ? error.message : String(error),
    attemptEndingTimestamp: endedAtMs,
    rawData: Buffer.from(source.data.buffer, source.data.byteOffset, source.data.byteLength).toString('base64'),
    kinesisRecordMetadata: {
      shardId,
      partitionKey: source.partitionKey,
      sequenceNumber: source.sequenceNumber,
      subsequenceNumber: source.subSequenceNumber,
      approximateArrivalTimestamp: arrival,
    },
  };
}
