import type { ItemSource } from '../Emitter';
import type { ErrorOutputType } from './FirehosePrefix';

/**
 * One line of a Firehose error object: the record's data as it failed (base64) with the error, in
 * Firehose's error-record format — `lastErrorCode`/`lastErrorMessage` for
 * `format-conversion-failed` (the format-conversion error format), `errorCode`/`errorMessage`
 * otherwise — plus where the record came from in the source stream.
 */
export function errorRecordLine(type: ErrorOutputType, source: ItemSource, data: Uint8Array, shardId: string, code: string, message: string, attempts: number, now: number): string {
  const arrival = source.approximateArrivalTimestamp?.getTime() ?? 0;
  const error = type === 'format-conversion-failed' ? { lastErrorCode: code, lastErrorMessage: message } : { errorCode: code, errorMessage: message };
  return `${JSON.stringify({
    attemptsMade: attempts,
    arrivalTimestamp: arrival,
    ...error,
    attemptEndingTimestamp: now,
    rawData: Buffer.from(data).toString('base64'),
    kinesisRecordMetadata: {
      shardId,
      partitionKey: source.partitionKey,
      sequenceNumber: source.sequenceNumber,
      subsequenceNumber: source.subSequenceNumber,
      approximateArrivalTimestamp: arrival,
    },
  })}\n`;
}
