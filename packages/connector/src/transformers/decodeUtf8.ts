import type { UserRecord } from '@kinesis-toolkit/kcl';
import { TransformError } from '../errors/TransformError';

// `fatal`: a malformed byte sequence is an error, not a silent U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The record's data as UTF-8 text. @throws TransformError (`InvalidUtf8`) naming the record. */
export function decodeUtf8(record: UserRecord): string {
  try {
    return decoder.decode(record.data);
  } catch (error) {
    throw new TransformError('InvalidUtf8', `record ${record.sequenceNumber}/${record.subSequenceNumber}: data is not valid UTF-8`, {
      cause: error,
      context: { partitionKey: record.partitionKey, sequenceNumber: record.sequenceNumber },
    });
  }
}
