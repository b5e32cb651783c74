import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { marshallOptions } from '@aws-sdk/util-dynamodb';
import { NOOP_LOGGER, SYSTEM_CLOCK, type Clock, type Logger } from '@kinesis-toolkit/core';
import { describe, requireBoolean, requireFunction, requireInteger, requireMethods, requireString, withoutUndefined } from '../internal/options';

/** Options of {@link DynamoDBEmitter}; `client` and `tableName` are required. */
export interface DynamoDBEmitterOptions {
  /** The DynamoDB client. Its own retries (`maxAttempts`) apply to each request, below ours. */
  readonly client?: DynamoDBClient;
  readonly tableName?: string;
  /**
   * The table's key attribute names (partition key, then sort key). Used to keep two items with
   * the same key out of one request (DynamoDB refuses that) and to match UnprocessedItems.
   * @defaultValue read once with DescribeTable
   */
  readonly keyAttributes?: readonly string[];
  /** Items are already DynamoDB attribute maps (`{ id: { S: 'a' } }`) rather than plain objects. @defaultValue false */
  readonly itemsAreMarshalled?: boolean;
  /** How plain objects are marshalled (`@aws-sdk/util-dynamodb`). @defaultValue `{ removeUndefinedValues: true }` */
  readonly marshallOptions?: marshallOptions;
  /** Tries per 25-item request, counting retries of UnprocessedItems and of throttling or network errors. @defaultValue 8 */
  readonly maxAttempts?: number;
  /** The first retry waits up to this long (full jitter, doubling per retry). @defaultValue 50 */
  readonly baseDelayMs?: number;
  /** The longest wait between tries. @defaultValue 5000 */
  readonly maxDelayMs?: number;
  /** @defaultValue {@link SYSTEM_CLOCK} */
  readonly clock?: Clock;
  /** Random numbers in [0, 1) for the jitter. @defaultValue `Math.random` */
  readonly random?: () => number;
  /** @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link DynamoDBEmitterOptions}. */
export const DYNAMODB_EMITTER_DEFAULTS = Object.freeze({
  itemsAreMarshalled: false,
  marshallOptions: Object.freeze({ removeUndefinedValues: true }) as marshallOptions,
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 5000,
  clock: SYSTEM_CLOCK,
  random: Math.random,
  logger: NOOP_LOGGER as Logger,
});

/** The complete, validated configuration of a {@link DynamoDBEmitter}. */
export type ResolvedDynamoDBEmitterOptions = Readonly<Omit<Required<DynamoDBEmitterOptions>, 'keyAttributes'>> & {
  readonly keyAttributes?: readonly string[];
};

/**
 * Validates {@link DynamoDBEmitterOptions} and fills in the defaults.
 * @throws TypeError naming the bad option.
 */
export function resolveDynamoDBEmitterOptions(options: DynamoDBEmitterOptions): ResolvedDynamoDBEmitterOptions {
  const merged = { ...DYNAMODB_EMITTER_DEFAULTS, ...withoutUndefined(options) };
  requireMethods('client', merged.client, ['send'], 'a DynamoDBClient');
  requireString('tableName', merged.tableName);
  const keys = merged.keyAttributes;
  if (keys !== undefined && (!Array.isArray(keys) || keys.length < 1 || keys.length > 2 || !keys.every((key) => typeof key === 'string' && key.length > 0))) {
    throw new TypeError(`keyAttributes: expected the partition key name and optionally the sort key name, got ${describe(keys)}`);
  }
  requireBoolean('itemsAreMarshalled', merged.itemsAreMarshalled);
  if (merged.marshallOptions === null || typeof merged.marshallOptions !== 'object') {
    throw new TypeError(`marshallOptions: expected an object, got ${describe(merged.marshallOptions)}`);
  }
  requireInteger('maxAttempts', merged.maxAttempts, 1);
  requireInteger('baseDelayMs', merged.baseDelayMs, 1);
  requireInteger('maxDelayMs', merged.maxDelayMs, merged.baseDelayMs);
  requireMethods('clock', merged.clock, ['now', 'setTimeout', 'clearTimeout'], 'a Clock');
  requireFunction('random', merged.random);
  requireMethods('logger', merged.logger, ['debug', 'info', 'warn', 'error'], 'a Logger');
  return Object.freeze(merged) as ResolvedDynamoDBEmitterOptions;
}
