import { CreateTableCommand, DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import { AwsRequestError, awsErrorCodeOf, sleep, type CommandOutputOf } from '@kinesis-toolkit/core';
import { LeaseStoreError } from './errors';
import type { ResolvedDynamoDBLeaseStoreOptions } from './DynamoDBLeaseStoreOptions';
import { LEASE_ATTRIBUTES } from './LeaseSerializer';

type TableConfig = Pick<
  ResolvedDynamoDBLeaseStoreOptions,
  'tableName' | 'billingMode' | 'readCapacity' | 'writeCapacity' | 'tableActivePollIntervalMs' | 'tableActiveTimeoutMs' | 'clock' | 'logger'
>;

/** Sends one DynamoDB command with the store's deadline, classifier and retries (`callAws`). */
type Send = <C extends object>(command: C) => Promise<CommandOutputOf<C>>;

/** The first wait between `DescribeTable` calls; later waits double up to the configured interval. */
const FIRST_POLL_MS = 100;

/**
 * Creates the lease table if it does not exist — hash key `leaseKey` (S), billed as configured —
 * and waits, polling `DescribeTable` on the injected clock, until it is ACTIVE (or UPDATING,
 * which the Java KCL also counts as usable). Polls start 100 ms apart and double up to
 * `tableActivePollIntervalMs`: a table that is ready at once (DynamoDB Local, a fast region) does
 * not cost a whole interval. Losing a creation race to another worker is fine. Every call has the
 * store's deadline and retries; `signal` ends the wait.
 *
 * @throws LeaseStoreError: retryable when the wait times out or DynamoDB is throttled or down
 * (after the store's retries); not retryable when access is denied, the request is invalid, or the
 * existing table is not a lease table (another key schema).
 */
export async function ensureLeaseTable(send: Send, config: TableConfig, signal?: AbortSignal): Promise<void> {
  const { clock, tableActiveTimeoutMs, tableActivePollIntervalMs } = config;
  let table = await describeTable(send, config, signal);
  if (table === undefined) {
    await createTable(send, config, signal);
    table = await describeTable(send, config, signal);
  }
  const deadline = clock.now() + tableActiveTimeoutMs;
  let pollMs = Math.min(FIRST_POLL_MS, tableActivePollIntervalMs);
  for (;;) {
    if (table !== undefined) checkKeySchema(table, config);
    if (table?.TableStatus === 'ACTIVE' || table?.TableStatus === 'UPDATING') return;
    const remainingMs = deadline - clock.now();
    if (remainingMs <= 0) {
      const state = table?.TableStatus ?? 'missing';
      throw new LeaseStoreError(operation(config), new Error(`table is still ${state} after ${tableActiveTimeoutMs} ms`), true);
    }
    await sleep(Math.min(pollMs, remainingMs), { clock, signal });
    pollMs = Math.min(pollMs * 2, tableActivePollIntervalMs);
    table = await describeTable(send, config, signal);
  }
}

async function describeTable(send: Send, config: TableConfig, signal: AbortSignal | undefined): Promise<TableDescription | undefined> {
  try {
    return (await send(new DescribeTableCommand({ TableName: config.tableName }))).Table;
  } catch (error) {
    if (awsErrorCodeOf(error) === 'ResourceNotFoundException') return undefined;
    throw tableError(error, config, signal);
  }
}

async function createTable(send: Send, config: TableConfig, signal: AbortSignal | undefined): Promise<void> {
  const { tableName, billingMode, readCapacity, writeCapacity, logger } = config;
  try {
    await send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: LEASE_ATTRIBUTES.leaseKey, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: LEASE_ATTRIBUTES.leaseKey, AttributeType: 'S' }],
        BillingMode: billingMode,
        ...(billingMode === 'PROVISIONED' ? { ProvisionedThroughput: { ReadCapacityUnits: readCapacity, WriteCapacityUnits: writeCapacity } } : {}),
      }),
    );
    logger.info({ table: tableName, billingMode }, 'created the lease table');
  } catch (error) {
    // Another worker created it first.
    if (awsErrorCodeOf(error) === 'ResourceInUseException') return;
    throw tableError(error, config, signal);
  }
}

function checkKeySchema(table: TableDescription, config: TableConfig): void {
  const keys = table.KeySchema ?? [];
  const type = table.AttributeDefinitions?.find((definition) => definition.AttributeName === LEASE_ATTRIBUTES.leaseKey)?.AttributeType;
  if (keys.length !== 1 || keys[0]?.AttributeName !== LEASE_ATTRIBUTES.leaseKey || keys[0]?.KeyType !== 'HASH' || type !== 'S') {
    const found = keys.map((key) => `${key.AttributeName} ${key.KeyType}`).join(', ');
    throw new LeaseStoreError(
      operation(config),
      new Error(`the table's key is [${found}], expected leaseKey (S) as its only (hash) key: not a lease table`),
      false,
    );
  }
}

function tableError(error: unknown, config: TableConfig, signal: AbortSignal | undefined): Error {
  if (signal?.aborted) return error as Error;
  return new LeaseStoreError(operation(config), error, error instanceof AwsRequestError ? error.retryable : true);
}

const operation = (config: TableConfig): string => `ensureTable on table ${config.tableName}`;
