import { InvalidRecordError } from '../errors/InvalidRecordError';
import { validatePartitionKey, validateUserRecord } from './validateUserRecord';

describe('validateUserRecord', () => {
  it('accepts partition keys of 1 to 256 code points, counting astral characters once', () => {
    expect(() => validatePartitionKey('k')).not.toThrow();
    expect(() => validatePartitionKey('x'.repeat(256))).not.toThrow();
    expect(() => validatePartitionKey('🎉'.repeat(256))).not.toThrow(); // 512 UTF-16 units
  });

  it.each([
    ['', /partitionKey: must not be empty/],
    ['x'.repeat(257), /partitionKey: has 257 characters, more than 256/],
    ['🎉'.repeat(257), /has 257 characters/],
    [undefined, /partitionKey: expected a string, got undefined/],
    [null, /expected a string, got null/],
  ])('rejects the partition key %p', (key, message) => {
    expect(() => validatePartitionKey(key)).toThrow(InvalidRecordError);
    expect(() => validatePartitionKey(key)).toThrow(message);
  });

  it('accepts Buffers and plain Uint8Arrays as data', () => {
    expect(() => validateUserRecord({ partitionKey: 'k', data: Buffer.alloc(0) })).not.toThrow();
    expect(() => validateUserRecord({ partitionKey: 'k', data: new Uint8Array(3) })).not.toThrow();
  });

  it.each([
    [null, 'record'],
    ['text', 'record'],
    [{ partitionKey: 'k', data: 'text' }, 'data'],
    [{ partitionKey: 'k', data: [1, 2] }, 'data'],
    [{ partitionKey: 'k', data: Buffer.alloc(1), explicitHashKey: 'abc' }, 'explicitHashKey'],
  ])('rejects %p naming the field %s', (record, field) => {
    expect(() => validateUserRecord(record)).toThrow(expect.objectContaining({ field, code: 'InvalidRecord', retryable: false }));
  });
});

describe('validatePartitionKey and Unicode', () => {
  it('rejects a key with an unpaired surrogate, which would hash like U+FFFD', () => {
    expect(() => validatePartitionKey('\uD800x')).toThrow(/unpaired surrogate/);
  });
});
