import { describeValue } from '@kinesis-toolkit/core';
import { InvalidRecordError } from '../errors/InvalidRecordError';
import { parseExplicitHashKey } from '../hashing/hashKey';
import { MAX_PARTITION_KEY_LENGTH } from '../limits';
import type { UserRecordInput } from './UserRecord';

/**
 * Checks a partition key: a string of 1–256 Unicode code points (the Kinesis API's rule).
 * @throws {@link InvalidRecordError} (field `partitionKey`).
 */
export function validatePartitionKey(partitionKey: unknown): asserts partitionKey is string {
  if (typeof partitionKey !== 'string') {
    throw new InvalidRecordError('partitionKey', `expected a string, got ${describeValue(partitionKey)}`);
  }
  if (partitionKey.length === 0) {
    throw new InvalidRecordError('partitionKey', 'must not be empty');
  }
  // A lone surrogate has no UTF-8 form: it would be sent as U+FFFD and hash like another key.
  if (!partitionKey.isWellFormed()) {
    throw new InvalidRecordError('partitionKey', 'contains an unpaired surrogate (not valid Unicode)');
  }
  // UTF-16 length bounds the code-point count from above and, halved, from below:
  // only keys between 257 and 512 code units need counting.
  if (partitionKey.length > MAX_PARTITION_KEY_LENGTH) {
    let codePoints = 0;
    for (const _ of partitionKey) codePoints++;
    if (codePoints > MAX_PARTITION_KEY_LENGTH) {
      throw new InvalidRecordError('partitionKey', `has ${codePoints} characters, more than ${MAX_PARTITION_KEY_LENGTH}`);
    }
  }
}

/**
 * Validates a user record at the boundary: partition key, explicit hash key (when present) and
 * data (must be a `Uint8Array`, which includes `Buffer`). Size limits are checked where the
 * record is packed, since they depend on how.
 * @throws {@link InvalidRecordError} naming the field.
 */
export function validateUserRecord(record: unknown): asserts record is UserRecordInput {
  if (record === null || typeof record !== 'object') {
    throw new InvalidRecordError('record', `expected an object, got ${describeValue(record)}`);
  }
  const { partitionKey, data, explicitHashKey } = record as Record<string, unknown>;
  validatePartitionKey(partitionKey);
  if (!(data instanceof Uint8Array)) {
    throw new InvalidRecordError('data', `expected bytes (Uint8Array or Buffer), got ${describeValue(data)}`, {
      partitionKey,
    });
  }
  if (explicitHashKey !== undefined) {
    try {
      parseExplicitHashKey(explicitHashKey);
    } catch (err) {
      throw new InvalidRecordError('explicitHashKey', (err as Error).message.replace(/^explicitHashKey: /, ''), { partitionKey });
    }
  }
}
