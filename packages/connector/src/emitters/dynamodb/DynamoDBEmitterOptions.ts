import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { marshallOptions } from '@aws-sdk/util-dynamodb';
import { InvalidArgumentError, NOOP_LOGGER, SYSTEM_CLOCK, rejectUnknownOptions, requireAwsClient, requireBoolean, requireInteger, requireObject, requireString, type Clock, type Logger, givenOptions, requireClock, requireLogger } from '@kinesis-toolkit/core';

/** Options of {@link DynamoDBEmitter}; `tableName` is required. */
export interface DynamoDBEmitterOptions {
  /**
   * The DynamoDB client. Its own retries (`maxAttempts`) run inside each request's deadline; pass
   * `maxAttempts: 1` to leave retries to the pipeline alone.
   * @defaultValue a client of its own (`new DynamoDBClient({ maxAttempts: 1 })`), destroyed at `shutdown()`
   */
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
  /** Each DynamoDB request not answered in this time is abandoned and counts as a failed (retryable) attempt. @defaultValue 10000 */
  readonly requestTimeoutMs?: number;
  /** Runs the request deadlines. @defaultValue {@link SYSTEM_CLOCK} */
  readonly clock?: Clock;
  /** @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link DynamoDBEmitterOptions}. */
export const DYNAMODB_EMITTER_DEFAULTS = Object.freeze({
  itemsAreMarshalled: false,
  marshallOptions: Object.freeze({ removeUndefinedValues: true }) as marshallOptions,
  requestTimeoutMs: 10_000,
  clock: SYSTEM_CLOCK as Clock,
  logger: NOOP_LOGGER as Logger,
});

/** The complete, validated configuration of a {@link DynamoDBEmitter} (`client` undefined: it makes its own). */
export type ResolvedDynamoDBEmitterOptions = Readonly<Omit<Required<DynamoDBEmitterOptions>, 'keyAttributes' | 'client'>> & {
  readonly client: DynamoDBClient | undefined;
  readonly keyAttributes: readonly string[] | undefined;
};

/**
 * Validates {@link DynamoDBEmitterOptions} and fills in the defaults.
 * @throws InvalidArgumentError naming the bad option.
 */
export function resolveDynamoDBEmitterOptions(options: DynamoDBEmitterOptions): ResolvedDynamoDBEmitterOptions {
  const given = givenOptions('options', options);
  rejectUnknownOptions('', options, [...Object.keys(DYNAMODB_EMITTER_DEFAULTS), 'client', 'tableName', 'keyAttributes']);
  const merged = { ...DYNAMODB_EMITTER_DEFAULTS, ...given };
  const keys = merged.keyAttributes;
  if (keys !== undefined && (!Array.isArray(keys) || keys.length < 1 || keys.length > 2 || !keys.every((key) => typeof key === 'string' && key.length > 0))) {
    throw new InvalidArgumentError('keyAttributes', 'the partition key name and optionally the sort key name (an array of 1 or 2 names)', keys);
  }
  return Object.freeze({
    client: merged.client === undefined ? undefined : requireAwsClient<DynamoDBClient>('client', merged.client, 'a DynamoDBClient'),
    tableName: requireString('tableName', merged.tableName, { minLength: 3, maxLength: 255, pattern: /^[a-zA-Z0-9_.-]+$/, expected: 'a DynamoDB table name (3-255 of a-z, A-Z, 0-9, _ - .)' }),
    keyAttributes: keys === undefined ? undefined : Object.freeze([...keys]),
    itemsAreMarshalled: requireBoolean('itemsAreMarshalled', merged.itemsAreMarshalled),
    marshallOptions: requireObject('marshallOptions', merged.marshallOptions) as marshallOptions,
    requestTimeoutMs: requireInteger('requestTimeoutMs', merged.requestTimeoutMs, 1, 2 ** 31 - 1),
    clock: requireClock('clock', merged.clock),
    logger: requireLogger('logger', merged.logger),
  });
}
