import { RecordTooLargeError, hashKeyToWords, hashKeyWordsOf, parseExplicitHashKey, utf8ByteLength, validateUserRecord, type UserRecordInput } from '@kinesis-toolkit/aggregation';
import type { PutResult } from '../PutResult';
import { NO_ATTEMPTS, type PendingRecord, type SettleListener } from './PendingRecord';

const scratchWords = new Uint32Array(4);

/**
 * The one check of a user record (nothing downstream validates it again) and its pending state:
 * the hash key as four 32-bit words (routing compares words, never builds a BigInt), its size,
 * and where its outcome goes. Positional arguments: this runs once per put. Internal.
 * @throws InvalidRecordError / RecordTooLargeError for a bad record.
 */
export function pendingRecordOf(
  input: UserRecordInput,
  maxRecordBytes: number,
  streamName: string,
  epoch: number,
  resolve: ((result: PutResult) => void) | undefined,
  reject: ((error: Error) => void) | undefined,
  listener: SettleListener | undefined,
  onAdmitted: (() => void) | undefined,
  slot: number,
): PendingRecord {
  validateUserRecord(input);
  const partitionKey = input.partitionKey;
  const explicitHashKey = input.explicitHashKey;
  // Hashing the key encodes it, which gives its UTF-8 length too.
  let words: Uint32Array = scratchWords;
  let keyBytes: number;
  if (explicitHashKey === undefined) keyBytes = hashKeyWordsOf(partitionKey, words);
  else {
    words = hashKeyToWords(parseExplicitHashKey(explicitHashKey));
    keyBytes = utf8ByteLength(partitionKey);
  }
  const bytes = input.data.length + keyBytes;
  if (bytes > maxRecordBytes) {
    throw new RecordTooLargeError(bytes, maxRecordBytes, 'the record (data plus partition key)', { partitionKey, streamName });
  }
  return {
    input,
    partitionKey,
    explicitHashKey,
    data: input.data,
    hashWord0: words[0]! | 0,
    hashWord1: words[1]! | 0,
    hashWord2: words[2]! | 0,
    hashWord3: words[3]! | 0,
    bytes,
    epoch,
    arrivedAt: 0,
    expiresAt: 0,
    deadline: 0,
    attempts: NO_ATTEMPTS,
    settled: false,
    lane: undefined,
    ttlSlot: 0,
    outgoing: undefined,
    resolve,
    reject,
    listener,
    onAdmitted,
    slot,
  };
}
