import { InvalidArgumentError, MAX_HASH_KEY, describeValue, isHashKey, parseHashKey } from '@kinesis-toolkit/core';
import { InvalidShardMapError } from './InvalidShardMapError';
import { effectiveHashKey } from './hashKey';
import { hashKeyToWords } from './HashKeyWords';

/** A shard as ListShards / DescribeStream return it (the fields a shard map reads). */
export interface ShardDescription {
  readonly ShardId?: string;
  readonly ParentShardId?: string;
  readonly AdjacentParentShardId?: string;
  readonly HashKeyRange?: { readonly StartingHashKey?: string; readonly EndingHashKey?: string };
  readonly SequenceNumberRange?: { readonly StartingSequenceNumber?: string; readonly EndingSequenceNumber?: string };
}

/** An open shard and the hash keys it owns, inclusive at both ends. */
export interface ShardRange {
  readonly shardId: string;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
}

/**
 * Which open shard owns a hash key. Built from ListShards output; closed shards (those with an
 * ending sequence number) are left out, so after a reshard only the children are found.
 */
export class ShardMap {
  /** The open shards, ordered by starting hash key. */
  readonly shards: readonly ShardRange[];
  readonly #starts: bigint[];
  /** Each shard's starting and ending hash keys as four big-endian 32-bit words (shard i at 4i). */
  readonly #startWords: Uint32Array;
  readonly #endWords: Uint32Array;

  private constructor(shards: ShardRange[]) {
    this.shards = Object.freeze(shards);
    this.#starts = shards.map((shard) => shard.startingHashKey);
    this.#startWords = new Uint32Array(shards.length * 4);
    this.#endWords = new Uint32Array(shards.length * 4);
    shards.forEach((shard, i) => {
      this.#startWords.set(hashKeyToWords(shard.startingHashKey), i * 4);
      this.#endWords.set(hashKeyToWords(shard.endingHashKey), i * 4);
    });
  }

  /**
   * Builds a map from a shard list (all pages of ListShards concatenated).
   * @throws {@link InvalidShardMapError} for a shard without an id or a valid hash-key range, or
   * open shards whose ranges overlap; `InvalidArgumentError` when `shards` is not an array of objects.
   */
  static fromShards(shards: readonly ShardDescription[]): ShardMap {
    if (!Array.isArray(shards)) throw new InvalidArgumentError('shards', 'an array of shards (ListShards Shards)', shards);
    const open: ShardRange[] = [];
    for (let i = 0; i < shards.length; i++) {
      const shard = shards[i] as ShardDescription;
      if (shard === null || typeof shard !== 'object') throw new InvalidArgumentError(`shards[${i}]`, 'a shard (an object)', shard);
      if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) continue;
      if (typeof shard.ShardId !== 'string' || shard.ShardId === '') {
        throw new InvalidShardMapError('a shard has no ShardId');
      }
      open.push({
        shardId: shard.ShardId,
        startingHashKey: parseRangeKey(shard.HashKeyRange?.StartingHashKey, 'StartingHashKey', shard.ShardId),
        endingHashKey: parseRangeKey(shard.HashKeyRange?.EndingHashKey, 'EndingHashKey', shard.ShardId),
      });
    }
    open.sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : a.startingHashKey > b.startingHashKey ? 1 : 0));
    for (let i = 0; i < open.length; i++) {
      const shard = open[i]!;
      if (shard.startingHashKey > shard.endingHashKey) {
        throw new InvalidShardMapError(`shard ${shard.shardId} has StartingHashKey above EndingHashKey`, shard.shardId);
      }
      const previous = open[i - 1];
      if (previous !== undefined && previous.endingHashKey >= shard.startingHashKey) {
        throw new InvalidShardMapError(`open shards ${previous.shardId} and ${shard.shardId} overlap`, shard.shardId);
      }
    }
    return new ShardMap(open);
  }

  /** How many open shards the map holds. */
  get size(): number {
    return this.shards.length;
  }

  /**
   * The open shard that owns a hash key (a bigint or its decimal string), by binary search.
   * @returns undefined when no open shard covers it (a gap while the stream reshards).
   * @throws `InvalidArgumentError` (argument `hashKey`) for anything but a hash key in [0, 2^128 − 1].
   */
  shardFor(hashKey: bigint | string): ShardRange | undefined {
    const key = typeof hashKey === 'bigint' ? requireHashKeyBigInt(hashKey) : parseHashKey('hashKey', hashKey);
    const starts = this.#starts;
    let low = 0;
    let high = starts.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (starts[middle]! <= key) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found < 0) return undefined;
    const shard = this.shards[found]!;
    return key <= shard.endingHashKey ? shard : undefined;
  }

  /**
   * {@link shardFor} for a hash key given as its four big-endian 32-bit words (`w0` most
   * significant), as {@link hashKeyWordsOf} computes them: no BigInt on the producer's hot path.
   * Words are read as unsigned 32-bit integers (`w >>> 0`), so signed int32 values work too.
   * @returns undefined when no open shard covers it.
   */
  shardForHashKeyWords(w0: number, w1: number, w2: number, w3: number): ShardRange | undefined {
    const starts = this.#startWords;
    let low = 0;
    let high = this.shards.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (compareWords(starts, middle * 4, w0, w1, w2, w3) <= 0) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found < 0) return undefined;
    return compareWords(this.#endWords, found * 4, w0, w1, w2, w3) >= 0 ? this.shards[found] : undefined;
  }

  /** The open shard a user record routes to: by its explicit hash key, else MD5 of its partition key. */
  shardForRecord(record: { readonly partitionKey: string; readonly explicitHashKey?: string }): ShardRange | undefined {
    return this.shardFor(effectiveHashKey(record));
  }
}

/** Compares the key at `words[at..at+3]` with (w0, w1, w2, w3), all as unsigned words: negative, zero or positive. */
function compareWords(words: Uint32Array, at: number, w0: number, w1: number, w2: number, w3: number): number {
  let a = words[at]!;
  let b = w0 >>> 0;
  if (a === b) {
    a = words[at + 1]!;
    b = w1 >>> 0;
    if (a === b) {
      a = words[at + 2]!;
      b = w2 >>> 0;
      if (a === b) {
        a = words[at + 3]!;
        b = w3 >>> 0;
      }
    }
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseRangeKey(value: string | undefined, name: string, shardId: string): bigint {
  if (!isHashKey(value)) {
    throw new InvalidShardMapError(`shard ${shardId}: HashKeyRange.${name}: expected a decimal hash key in [0, 2^128 − 1], got ${describeValue(value)}`, shardId);
  }
  return BigInt(value);
}

function requireHashKeyBigInt(hashKey: bigint): bigint {
  if (hashKey < 0n || hashKey > MAX_HASH_KEY) throw new InvalidArgumentError('hashKey', 'a hash key in [0, 2^128 − 1]', hashKey);
  return hashKey;
}
