import { InvalidArgumentError, MAX_HASH_KEY, describeValue, parseHashKey, rejectUnknownOptions, requireObject } from '@kinesis-toolkit/core';
import { CorruptAggregateError } from './codec/CorruptAggregateError';
import { decodeAggregatedRecord, hasAggregationMagic, type DecodedAggregate } from './codec/decodeAggregatedRecord';
import { InvalidRecordError } from './errors/InvalidRecordError';
import { compareHashKeyWords, hashKeyToWords, hashKeyWordsOf, wordsToHashKey } from './hashing/HashKeyWords';
import type { UserRecord } from './records/UserRecord';

/** A record as the AWS SDK v3 returns it from GetRecords or SubscribeToShard. */
export interface SdkKinesisRecord {
  readonly Data?: Uint8Array;
  readonly PartitionKey?: string;
  readonly SequenceNumber?: string;
  readonly ApproximateArrivalTimestamp?: Date;
  readonly EncryptionType?: string;
}

/** A record of a Kinesis event delivered to AWS Lambda (`event.Records[i]`). */
export interface LambdaKinesisRecord {
  readonly kinesis: {
    /** Base64 of the record's bytes. */
    readonly data: string;
    readonly partitionKey: string;
    readonly sequenceNumber: string;
    /** Seconds since the epoch, with a fractional part. */
    readonly approximateArrivalTimestamp?: number;
  };
}

/**
 * A shard's hash-key range, inclusive at both ends (as ListShards gives it): bigints, or decimal
 * strings as the Kinesis API writes them (`0|[1-9]\d{0,38}`, at most 2^128 − 1).
 */
export interface HashKeyRange {
  readonly startingHashKey: bigint | string;
  readonly endingHashKey: bigint | string;
}

/** Options of {@link deaggregate}. */
export interface DeaggregateOptions {
  /**
   * The hash-key range of the shard the record was read from. When given, sub-records whose
   * hash key falls outside it go to `outOfRange` instead of `records`.
   * @defaultValue no check
   */
  readonly shardHashKeyRange?: HashKeyRange;
  /**
   * Hash keys of partition keys already seen, reused across calls (a consumer of one shard sees
   * the same keys again and again; MD5 of each is most of the range check's cost). The caller
   * bounds its size.
   * @defaultValue no cache across calls
   */
  readonly hashKeyCache?: Map<string, bigint>;
}

/** What de-aggregating one Kinesis record gave. */
export interface DeaggregationResult {
  /** The user records, in sub-sequence order (within the shard's range, when one was given). */
  readonly records: UserRecord[];
  /** Sub-records whose hash key lies outside the given shard range; never silently dropped. */
  readonly outOfRange: UserRecord[];
  /**
   * `aggregated`: a valid KPL aggregate; `plain`: no magic, delivered as is; `corrupt`: it had
   * the magic but failed to decode (bad MD5, malformed protobuf) and was delivered as is.
   */
  readonly format: 'aggregated' | 'plain' | 'corrupt';
  /** Why a `corrupt` record was not treated as an aggregate. */
  readonly corruption?: CorruptAggregateError;
}

interface NormalizedRecord {
  readonly data: Buffer;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  readonly approximateArrivalTimestamp: Date | undefined;
}

const NO_OPTIONS: DeaggregateOptions = Object.freeze({});
const OPTION_NAMES = ['shardHashKeyRange', 'hashKeyCache'];
const HASH_KEY_BOUND = 'a hash key in [0, 2^128 − 1]: a bigint, or a decimal string without leading zeros';

/**
 * Turns one Kinesis record — SDK v3 shape or Lambda event shape — into its user records.
 * A KPL aggregate (magic and matching MD5) yields one user record per sub-record, numbered by
 * sub-sequence; anything else, including a record that has the magic but a bad checksum or
 * malformed body, is returned as one plain record (`format: 'corrupt'`), as the KCL does.
 * Nothing is thrown away, and no bytes make it throw: decoding is iterative and linear in the
 * record's size.
 * @throws {@link InvalidRecordError} when the input is neither shape; `InvalidArgumentError` for
 * bad options (naming the option).
 */
export function deaggregate(record: SdkKinesisRecord | LambdaKinesisRecord, options: DeaggregateOptions = NO_OPTIONS): DeaggregationResult {
  const check = options === NO_OPTIONS ? undefined : rangeCheckOf(options);
  const source = normalize(record);
  const { data } = source;
  if (!hasAggregationMagic(data)) {
    return { records: [asPlainRecord(source)], outOfRange: [], format: 'plain' };
  }
  let decoded: DecodedAggregate;
  try {
    decoded = decodeAggregatedRecord(data, source.sequenceNumber, source.approximateArrivalTimestamp);
  } catch (err) {
    // The decoder reports bad bytes as CorruptAggregateError; anything else would be a bug in it,
    // and still must not stop a shard: the record is delivered as it is, with the reason.
    const corruption = err instanceof CorruptAggregateError ? err : new CorruptAggregateError(`the aggregate could not be decoded: ${describeValue(err)}`, { cause: err });
    return { records: [asPlainRecord(source)], outOfRange: [], format: 'corrupt', corruption };
  }
  if (check === undefined) return { records: decoded.records, outOfRange: [], format: 'aggregated' };

  const inRange = rangeChecker(check);
  const records: UserRecord[] = [];
  const outOfRange: UserRecord[] = [];
  const all = decoded.records;
  const keyIndexes = decoded.keyIndexes;
  for (let i = 0; i < all.length; i++) {
    const userRecord = all[i]!;
    (inRange(userRecord.partitionKey, keyIndexes[i]!, userRecord.explicitHashKey) ? records : outOfRange).push(userRecord);
  }
  return { records, outOfRange, format: 'aggregated' };
}

/**
 * Whether a Kinesis record's bytes are a KPL aggregate (magic present, MD5 matching, protobuf
 * well formed). Never throws on any bytes.
 * @throws `InvalidArgumentError` when `data` is not a `Uint8Array` (or `Buffer`).
 */
export function isAggregated(data: Uint8Array): boolean {
  if (!(data instanceof Uint8Array)) throw new InvalidArgumentError('data', 'a Uint8Array or Buffer', data);
  if (!hasAggregationMagic(data)) return false;
  try {
    decodeAggregatedRecord(toBuffer(data), '', undefined);
    return true;
  } catch {
    return false;
  }
}

function asPlainRecord(source: NormalizedRecord): UserRecord {
  return {
    partitionKey: source.partitionKey,
    data: source.data,
    sequenceNumber: source.sequenceNumber,
    subSequenceNumber: 0,
    aggregated: false,
    approximateArrivalTimestamp: source.approximateArrivalTimestamp,
  };
}

/** A validated range check: the bounds and the cache across calls. */
interface RangeCheck {
  readonly start: bigint;
  readonly end: bigint;
  readonly cache: Map<string, bigint> | undefined;
}

/** Validates the options (every call: they are cheap to check, and a bad range must never pass as "everything out of range"). */
function rangeCheckOf(options: DeaggregateOptions): RangeCheck | undefined {
  requireObject('options', options);
  rejectUnknownOptions('', options, OPTION_NAMES);
  const { shardHashKeyRange: range, hashKeyCache: cache } = options;
  if (cache !== undefined && !(cache instanceof Map)) throw new InvalidArgumentError('hashKeyCache', 'a Map of partition keys to hash keys', cache);
  if (range === undefined) return undefined;
  requireObject('shardHashKeyRange', range);
  const start = hashKeyBound('shardHashKeyRange.startingHashKey', range.startingHashKey);
  const end = hashKeyBound('shardHashKeyRange.endingHashKey', range.endingHashKey);
  if (end < start) throw new InvalidArgumentError('shardHashKeyRange.endingHashKey', `a hash key >= startingHashKey (${start})`, range.endingHashKey);
  return { start, end, cache };
}

function hashKeyBound(name: string, value: unknown): bigint {
  if (typeof value !== 'bigint') return parseHashKey(name, value);
  if (value < 0n || value > MAX_HASH_KEY) throw new InvalidArgumentError(name, HASH_KEY_BOUND, value);
  return value;
}

/**
 * A sub-record's explicit hash key as a consumer reads it, or undefined when it is not one. A
 * sub-record's key never passed the service's check (only the aggregate's own key did), so it is
 * read as the Java KCL reads it (`new BigInteger(…)`): leading zeros are allowed here.
 */
function subRecordHashKey(explicitHashKey: string): bigint | undefined {
  try {
    return parseHashKey('explicitHashKey', explicitHashKey.replace(LEADING_ZEROS, ''));
  } catch {
    return undefined;
  }
}
const LEADING_ZEROS = /^0+(?=\d)/;

/**
 * A hash-key range test that hashes each distinct partition key of an aggregate once. Keys are
 * hashed and compared as four 32-bit words (no Buffer, no BigInt): this runs for every
 * sub-record a consumer reads.
 */
function rangeChecker({ start, end, cache }: RangeCheck): (partitionKey: string, keyIndex: number, explicitHashKey: string | undefined) => boolean {
  const startWords = hashKeyToWords(start);
  const endWords = hashKeyToWords(end);
  const words = new Uint32Array(4);
  const verdicts: boolean[] = [];
  return (partitionKey, keyIndex, explicitHashKey) => {
    if (explicitHashKey !== undefined) {
      const hashKey = subRecordHashKey(explicitHashKey);
      // An explicit hash key that is not one cannot be shown to belong here: report it.
      return hashKey !== undefined && hashKey >= start && hashKey <= end;
    }
    let verdict = verdicts[keyIndex];
    if (verdict === undefined) {
      const cached = cache?.get(partitionKey);
      if (cached !== undefined) {
        verdict = cached >= start && cached <= end;
      } else {
        hashKeyWordsOf(partitionKey, words);
        cache?.set(partitionKey, wordsToHashKey(words));
        verdict = compareHashKeyWords(words, startWords) >= 0 && compareHashKeyWords(words, endWords) <= 0;
      }
      verdicts[keyIndex] = verdict;
    }
    return verdict;
  };
}

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function normalize(record: SdkKinesisRecord | LambdaKinesisRecord): NormalizedRecord {
  if (record === null || typeof record !== 'object') {
    throw new InvalidRecordError('record', `expected an SDK or Lambda Kinesis record, got ${describeValue(record)}`);
  }
  if ('kinesis' in record) {
    const event = record.kinesis as Partial<LambdaKinesisRecord['kinesis']> | null;
    if (event === null || typeof event !== 'object') {
      throw new InvalidRecordError('record', `expected kinesis to be an object (a Lambda Kinesis record), got ${describeValue(event)}`);
    }
    if (typeof event.data !== 'string') throw new InvalidRecordError('data', `expected kinesis.data to be a base64 string, got ${describeValue(event.data)}`);
    requireString(event.partitionKey, 'partitionKey', 'kinesis.partitionKey');
    requireString(event.sequenceNumber, 'record', 'kinesis.sequenceNumber');
    const seconds = event.approximateArrivalTimestamp;
    return {
      data: Buffer.from(event.data, 'base64'),
      partitionKey: event.partitionKey,
      sequenceNumber: event.sequenceNumber,
      approximateArrivalTimestamp: typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(Math.round(seconds * 1000)) : undefined,
    };
  }
  const sdk = record as SdkKinesisRecord;
  if (!(sdk.Data instanceof Uint8Array)) throw new InvalidRecordError('data', `expected Data to be a Uint8Array, got ${describeValue(sdk.Data)}`);
  requireString(sdk.PartitionKey, 'partitionKey', 'PartitionKey');
  requireString(sdk.SequenceNumber, 'record', 'SequenceNumber');
  return {
    data: toBuffer(sdk.Data),
    partitionKey: sdk.PartitionKey,
    sequenceNumber: sdk.SequenceNumber,
    approximateArrivalTimestamp: sdk.ApproximateArrivalTimestamp,
  };
}

function requireString(value: unknown, field: 'partitionKey' | 'record', name: string): asserts value is string {
  if (typeof value !== 'string') throw new InvalidRecordError(field, `expected ${name} to be a string, got ${describeValue(value)}`);
}
