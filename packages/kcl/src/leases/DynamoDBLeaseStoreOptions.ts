import {
  NOOP_LOGGER,
  SYSTEM_CLOCK,
  rejectUnknownOptions,
  requireInteger,
  requireObject,
  requireOneOf,
  requireString,
  resolveRandom,
  resolveRetryOptions,
  withoutUndefined,
  InvalidArgumentError,
  type Clock,
  type Logger,
  type ResolvedRetryOptions,
  type RetryOptions,
  requireClock,
  requireLogger,
} from '@kinesis-toolkit/core';

/** How the lease table is billed when {@link DynamoDBLeaseStore.ensureTable} creates it. */
export type LeaseTableBillingMode = 'PAY_PER_REQUEST' | 'PROVISIONED';

/** Options of a `DynamoDBLeaseStore`; all but `tableName` are optional. */
export interface DynamoDBLeaseStoreOptions {
  /** The lease table: the application name, as with the Java KCL. Required. */
  readonly tableName: string;
  /** Billing mode of a table created by `ensureTable()` (an existing table is left as it is). @defaultValue 'PAY_PER_REQUEST' */
  readonly billingMode?: LeaseTableBillingMode;
  /** Read capacity units of a created table; only with `billingMode: 'PROVISIONED'`. @defaultValue 10 */
  readonly readCapacity?: number;
  /** Write capacity units of a created table; only with `billingMode: 'PROVISIONED'`. @defaultValue 10 */
  readonly writeCapacity?: number;
  /** Longest time between `DescribeTable` calls while waiting for the table to become ACTIVE (they start 100 ms apart and double). @defaultValue 1000 */
  readonly tableActivePollIntervalMs?: number;
  /** How long `ensureTable()` waits for ACTIVE before failing (retryably). @defaultValue 600000, as the Java KCL */
  readonly tableActiveTimeoutMs?: number;
  /** Items per `Scan` page in `listLeases()`; `Infinity` leaves paging to DynamoDB's 1 MB pages. @defaultValue Infinity */
  readonly listPageSize?: number;
  /**
   * The deadline of each attempt of each DynamoDB call: an attempt not answered by then is
   * abandoned (its request aborted) and counts as a transient failure. @defaultValue 2000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Retries of throttled and transient failures of one call (core's `RetryPolicy`: full jitter).
   * A caller's `AbortSignal` ends them early. @defaultValue `{ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 }`
   */
  readonly retry?: RetryOptions;
  /** Time source for deadlines, backoff and the ACTIVE wait. @defaultValue SYSTEM_CLOCK */
  readonly clock?: Clock;
  /** Randomness of the backoff jitter. @defaultValue Math.random */
  readonly random?: () => number;
  /** @defaultValue NOOP_LOGGER */
  readonly logger?: Logger;
}

/** {@link DynamoDBLeaseStoreOptions} with every default applied. */
export type ResolvedDynamoDBLeaseStoreOptions = Readonly<Required<Omit<DynamoDBLeaseStoreOptions, 'retry'>> & { readonly retry: ResolvedRetryOptions }>;

/** The defaults of {@link DynamoDBLeaseStoreOptions}. */
export const DYNAMODB_LEASE_STORE_DEFAULTS = Object.freeze({
  billingMode: 'PAY_PER_REQUEST' as LeaseTableBillingMode,
  readCapacity: 10,
  writeCapacity: 10,
  tableActivePollIntervalMs: 1_000,
  tableActiveTimeoutMs: 600_000,
  listPageSize: Infinity,
  requestTimeoutMs: 2_000,
  retry: Object.freeze({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 }) as ResolvedRetryOptions,
  clock: SYSTEM_CLOCK,
  random: Math.random,
  logger: NOOP_LOGGER,
});

const KNOWN = ['tableName', ...Object.keys(DYNAMODB_LEASE_STORE_DEFAULTS)];
// DynamoDB's table name rule.
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Validates the options and fills in the defaults.
 * @throws InvalidArgumentError (a TypeError) naming the option, what was expected and what came.
 */
export function resolveDynamoDBLeaseStoreOptions(options: DynamoDBLeaseStoreOptions): ResolvedDynamoDBLeaseStoreOptions {
  requireObject('DynamoDBLeaseStore options', options);
  rejectUnknownOptions('', options, KNOWN);
  const given = withoutUndefined(options);
  const resolved = { ...DYNAMODB_LEASE_STORE_DEFAULTS, ...given } as ResolvedDynamoDBLeaseStoreOptions;
  requireString('tableName', resolved.tableName, { pattern: TABLE_NAME, expected: "3-255 characters of A-Z, a-z, 0-9, '_', '-', '.'" });
  requireOneOf('billingMode', resolved.billingMode, ['PAY_PER_REQUEST', 'PROVISIONED'] as const);
  if (resolved.billingMode === 'PAY_PER_REQUEST') {
    for (const name of ['readCapacity', 'writeCapacity'] as const) {
      if (given[name] !== undefined) throw new InvalidArgumentError(name, "nothing with billingMode 'PAY_PER_REQUEST' (capacities are for 'PROVISIONED')", given[name]);
    }
  }
  requireInteger('readCapacity', resolved.readCapacity, 1);
  requireInteger('writeCapacity', resolved.writeCapacity, 1);
  requireInteger('tableActivePollIntervalMs', resolved.tableActivePollIntervalMs, 1);
  requireInteger('tableActiveTimeoutMs', resolved.tableActiveTimeoutMs, 1);
  if (resolved.listPageSize !== Infinity) requireInteger('listPageSize', resolved.listPageSize, 1, Number.MAX_SAFE_INTEGER, 'an integer >= 1 or Infinity');
  requireInteger('requestTimeoutMs', resolved.requestTimeoutMs, 1, 3_600_000);
  const retry = given.retry === undefined ? DYNAMODB_LEASE_STORE_DEFAULTS.retry : resolveRetryOptions({ ...DYNAMODB_LEASE_STORE_DEFAULTS.retry, ...withoutUndefined(requireObject('retry', given.retry)) }, 'retry');
  requireClock('clock', resolved.clock);
  requireLogger('logger', resolved.logger);
  const random = resolveRandom('random', resolved.random);
  return Object.freeze({ ...resolved, retry, random });
}
