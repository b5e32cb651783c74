import { CorruptAggregateError } from './codec/CorruptAggregateError';
import { decodeAggregatedRecord, hasAggregationMagic } from './codec/decodeAggregatedRecord';
import { InvalidRecordError } from './errors/InvalidRecordError';
import { parseExplicitHashKey } from './hashing/hashKey';
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

/** A shard's hash-key range, inclusive at both ends (as ListShards gives it). */
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

/**
 * Turns one Kinesis record — SDK v3 shape or Lambda event shape — into its user records.
 * A KPL aggregate (magic and matching MD5) yields one user record per sub-record, numbered by
 * sub-sequence; anything else, including a record that has the magic but a bad checksum or
 * malformed body, is returned as one plain record, as the KCL does. Nothing is thrown away.
 * @throws {@link InvalidRecordError} when the input is neither shape.
 */
export function deaggregate(record: SdkKinesisRecord | LambdaKinesisRecord, options: DeaggregateOptions = {}): DeaggregationResult {
  const source = normalize(record);
  const { data } = source;
  if (!hasAggregationMagic(data)) {
    return { records: [asPlainRecord(source)], outOfRange: [], format: 'plain' };
  }
  let decoded;
  try {
    decoded = decodeAggregatedRecord(data, source.sequenceNumber, source.approximateArrivalTimestamp);
  } catch (err) {
    if (!(err instanceof CorruptAggregateError)) throw err;
    return { records: [asPlainRecord(source)], outOfRange: [], format: 'corrupt', corruption: err };
  }
  const range = options.shardHashKeyRange;
  if (range === undefined) return { records: decoded.records, outOfRange: [], format: 'aggregated' };

  const inRange = rangeChecker(range, options.hashKeyCache);
  const records: UserRecord[] = [];
  const outOfRange: UserRecord[] = [];
  decoded.records.forEach((record, i) => {
    (inRange(record.partitionKey, decoded.keyIndexes[i]!, record.explicitHashKey) ? records : outOfRange).push(record);
  });
  return { records, outOfRange, format: 'aggregated' };
}

/** Whether a Kinesis record's bytes are a KPL aggregate (magic present and MD5 matching). */
export function isAggregated(data: Uint8Array): boolean {
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

/**
 * A hash-key range test that hashes each distinct partition key of an aggregate once. Keys are
 * hashed and compared as four 32-bit words (no Buffer, no BigInt): this runs for every
 * sub-record a consumer reads.
 */
function rangeChecker(
  range: HashKeyRange,
  cache: Map<string, bigint> | undefined,
): (partitionKey: string, keyIndex: number, explicitHashKey: string | undefined) => boolean {
  const start = BigInt(range.startingHashKey);
  const end = BigInt(range.endingHashKey);
  const startWords = hashKeyToWords(start);
  const endWords = hashKeyToWords(end);
  const words = new Uint32Array(4);
  const verdicts: boolean[] = [];
  return (partitionKey, keyIndex, explicitHashKey) => {
    if (explicitHashKey !== undefined) {
      let hashKey: bigint;
      try {
        hashKey = parseExplicitHashKey(explicitHashKey);
      } catch {
        return false; // an unparseable EHK cannot be shown to belong here: report it
      }
      return hashKey >= start && hashKey <= end;
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
    throw new InvalidRecordError('record', `expected an SDK or Lambda Kinesis record, got ${record === null ? 'null' : typeof record}`);
  }
  if ('kinesis' in record) {
    const event = record.kinesis;
    if (event === null || typeof event !== 'object' || typeof event.data !== 'string') {
      throw new InvalidRecordError('data', 'a Lambda record needs kinesis.data as a base64 string');
    }
    requireString(event.partitionKey, 'partitionKey', 'kinesis.partitionKey');
    requireString(event.sequenceNumber, 'record', 'kinesis.sequenceNumber');
    const seconds = event.approximateArrivalTimestamp;
    return {
      data: Buffer.from(event.data, 'base64'),
      partitionKey: event.partitionKey,
      sequenceNumber: event.sequenceNumber,
      approximateArrivalTimestamp: typeof seconds === 'number' ? new Date(Math.round(seconds * 1000)) : undefined,
    };
  }
  const sdk = record as SdkKinesisRecord;
  if (!(sdk.Data instanceof Uint8Array)) {
    throw new InvalidRecordError('data', 'an SDK record needs Data as a Uint8Array');
  }
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
  if (typeof value !== 'string') {
    throw new InvalidRecordError(field, `${name} must be a string, got ${value === null ? 'null' : typeof value}`);
  }
}
