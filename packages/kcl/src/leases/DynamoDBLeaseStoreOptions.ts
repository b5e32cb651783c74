import { NOOP_LOGGER, SYSTEM_CLOCK, type Clock, type Logger } from '@kinesis-toolkit/core';

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
  /** Time source for the ACTIVE wait. @defaultValue SYSTEM_CLOCK */
  readonly clock?: Clock;
  /** @defaultValue NOOP_LOGGER */
  readonly logger?: Logger;
}

/** {@link DynamoDBLeaseStoreOptions} with every default applied. */
export type ResolvedDynamoDBLeaseStoreOptions = Readonly<Required<DynamoDBLeaseStoreOptions>>;

/** The defaults of {@link DynamoDBLeaseStoreOptions}. */
export const DYNAMODB_LEASE_STORE_DEFAULTS = Object.freeze({
  billingMode: 'PAY_PER_REQUEST' as LeaseTableBillingMode,
  readCapacity: 10,
  writeCapacity: 10,
  tableActivePollIntervalMs: 1_000,
  tableActiveTimeoutMs: 600_000,
  listPageSize: Infinity,
  clock: SYSTEM_CLOCK,
  logger: NOOP_LOGGER,
});

// DynamoDB's table name rule.
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Validates the options and fills in the defaults.
 * @throws TypeError naming the option, what was expected and what came.
 */
export function resolveDynamoDBLeaseStoreOptions(options: DynamoDBLeaseStoreOptions): ResolvedDynamoDBLeaseStoreOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`DynamoDBLeaseStore options: expected an object with a tableName, got ${String(options)}`);
  }
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as DynamoDBLeaseStoreOptions;
  const resolved = { ...DYNAMODB_LEASE_STORE_DEFAULTS, ...given };
  if (typeof resolved.tableName !== 'string' || !TABLE_NAME.test(resolved.tableName)) {
    throw new TypeError(`tableName: expected 3-255 characters of A-Z, a-z, 0-9, '_', '-', '.', got ${JSON.stringify(resolved.tableName)}`);
  }
  if (resolved.billingMode !== 'PAY_PER_REQUEST' && resolved.billingMode !== 'PROVISIONED') {
    throw new TypeError(`billingMode: expected 'PAY_PER_REQUEST' or 'PROVISIONED', got ${JSON.stringify(resolved.billingMode)}`);
  }
  if (resolved.billingMode === 'PAY_PER_REQUEST' && (given.readCapacity !== undefined || given.writeCapacity !== undefined)) {
    throw new TypeError("readCapacity/writeCapacity: only meaningful with billingMode 'PROVISIONED', got billingMode 'PAY_PER_REQUEST'");
  }
  requirePositiveInteger('readCapacity', resolved.readCapacity);
  requirePositiveInteger('writeCapacity', resolved.writeCapacity);
  requirePositiveInteger('tableActivePollIntervalMs', resolved.tableActivePollIntervalMs);
  requirePositiveInteger('tableActiveTimeoutMs', resolved.tableActiveTimeoutMs);
  if (resolved.listPageSize !== Infinity) requirePositiveInteger('listPageSize', resolved.listPageSize);
  if (typeof resolved.clock?.now !== 'function' || typeof resolved.clock.setTimeout !== 'function') {
    throw new TypeError('clock: expected a Clock with now() and setTimeout()');
  }
  if (typeof resolved.logger?.warn !== 'function') throw new TypeError('logger: expected a Logger');
  return Object.freeze(resolved);
}

function requirePositiveInteger(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`${name}: expected a positive integer, got ${String(value)}`);
  }
}
