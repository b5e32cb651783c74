import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { AwsRequestError, RetryPolicy, awsErrorCodeOf, callAws, requireAwsClient, type CommandOutputOf } from '@kinesis-toolkit/core';
import { LeaseLostError, LeaseStoreError, MalformedLeaseError } from './errors';
import { actualOwnerOf, type ExtendedSequenceNumber, type Lease } from './Lease';
import type { LeaseCallOptions, LeaseListing, LeaseStore } from './LeaseStore';
import { resolveDynamoDBLeaseStoreOptions, type DynamoDBLeaseStoreOptions, type ResolvedDynamoDBLeaseStoreOptions } from './DynamoDBLeaseStoreOptions';
import { LEASE_ATTRIBUTES as A, deserializeLease, serializeLease, stringValue, type LeaseItem } from './LeaseSerializer';
import { checkpointWrite, childShardIdsWrite, handoffWrite, prepareWrite, releaseWrite, renewWrite, takeWrite, type LeaseWrite } from './leaseWrites';
import { ensureLeaseTable } from './ensureLeaseTable';
import { assertHandoff, assertValidCheckpoint, assertValidLease, assertValidLeaseKey, assertValidOwner, assertValidShardIds } from './leaseValidation';

/** The DynamoDB error of a conditional write whose condition did not hold: the lease moved on. */
const CONDITION_FAILED = 'ConditionalCheckFailedException';

/**
 * The lease table in DynamoDB, in the Java KCL 2.x item format (see `LeaseSerializer`), so that a
 * Java KCL application's table can be taken over by this worker and back.
 *
 * Every change to an existing lease is one `UpdateItem` that sets or removes only the lease's own
 * attributes (others on the item are kept), conditioned on `leaseCounter` (and `leaseOwner` where
 * `LeaseStore` says so), returning the new item. No transactions (dynalite has none, and none are
 * needed). Every call goes through core's `callAws`: each attempt has a deadline
 * (`requestTimeoutMs`), failures are classified once (`classifyAwsError`), throttled and transient
 * ones are retried under `retry`, and a caller's `AbortSignal` (the worker's own deadlines) ends it.
 * When an attempt was retried (after a deadline, or by the SDK of a client passed in) and the retry
 * then failed its condition, the first attempt may have been applied with its answer lost; the
 * store reads the item back and, if it shows exactly this write, returns it instead of a false
 * `LeaseLostError` (the Java KCL does the same for renewals).
 *
 * Errors: `LeaseLostError` for a failed condition; otherwise a `LeaseStoreError` whose `cause` is
 * core's `AwsRequestError` (the AWS code, the attempts) and whose `retryable` is the classifier's.
 */
export class DynamoDBLeaseStore implements LeaseStore {
  readonly #client: DynamoDBClient;
  readonly #config: ResolvedDynamoDBLeaseStoreOptions;
  readonly #retry: RetryPolicy;

  /** @throws InvalidArgumentError (a TypeError) for a client without `send` or invalid options. */
  constructor(client: DynamoDBClient, options: DynamoDBLeaseStoreOptions) {
    this.#client = requireAwsClient('client', client, 'a DynamoDBClient');
    this.#config = resolveDynamoDBLeaseStoreOptions(options);
    this.#retry = new RetryPolicy(this.#config.retry, { clock: this.#config.clock, random: this.#config.random });
  }

  /** The lease table's name. */
  get tableName(): string {
    return this.#config.tableName;
  }

  /** Creates the table if missing (see `ensureLeaseTable`) and waits until it is ACTIVE. */
  ensureTable(options: LeaseCallOptions = {}): Promise<void> {
    return ensureLeaseTable((command) => this.#call(command, undefined, options), this.#config, options.signal);
  }

  async listLeases(options: LeaseCallOptions = {}): Promise<LeaseListing> {
    const leases: Lease[] = [];
    const malformed: MalformedLeaseError[] = [];
    let startKey: LeaseItem | undefined;
    do {
      const page = await this.#send(
        'listLeases',
        new ScanCommand({
          TableName: this.tableName,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          Limit: Number.isFinite(this.#config.listPageSize) ? this.#config.listPageSize : undefined,
        }),
        undefined,
        options,
      );
      for (const item of page.Items ?? []) {
        try {
          leases.push(deserializeLease(item));
        } catch (error) {
          if (!(error instanceof MalformedLeaseError)) throw error;
          this.#config.logger.warn({ table: this.tableName, error: error.message }, 'skipping a lease table item that is not a valid lease');
          malformed.push(error);
        }
      }
      startKey = page.LastEvaluatedKey !== undefined && Object.keys(page.LastEvaluatedKey).length > 0 ? page.LastEvaluatedKey : undefined;
    } while (startKey !== undefined);
    return { leases, malformed };
  }

  async getLease(leaseKey: string, options: LeaseCallOptions = {}): Promise<Lease | undefined> {
    assertValidLeaseKey(leaseKey);
    const output = await this.#send(
      'getLease',
      new GetItemCommand({ TableName: this.tableName, Key: { [A.leaseKey]: stringValue(leaseKey) }, ConsistentRead: true }),
      leaseKey,
      options,
    );
    return output.Item === undefined ? undefined : deserializeLease(output.Item);
  }

  async createLeaseIfNotExists(lease: Lease, options: LeaseCallOptions = {}): Promise<boolean> {
    assertValidLease(lease);
    try {
      await this.#call(
        new PutItemCommand({
          TableName: this.tableName,
          Item: serializeLease(lease),
          // A put only where no item exists: never over an existing lease.
          ConditionExpression: 'attribute_not_exists(#leaseKey)',
          ExpressionAttributeNames: { '#leaseKey': A.leaseKey },
        }),
        lease.leaseKey,
        options,
      );
      return true;
    } catch (error) {
      // Also when a retried put finds the item its own first attempt wrote: either way it exists.
      if (awsErrorCodeOf(error) === CONDITION_FAILED) return false;
      throw this.#error('createLeaseIfNotExists', error, lease.leaseKey, options);
    }
  }

  async renewLease(lease: Lease, options: LeaseCallOptions = {}): Promise<Lease> {
    assertValidLease(lease);
    return this.#update('renewLease', lease, renewWrite(lease), options);
  }

  async takeLease(lease: Lease, newOwner: string, options: LeaseCallOptions = {}): Promise<Lease> {
    assertValidLease(lease);
    assertValidOwner('newOwner', newOwner);
    return this.#update('takeLease', lease, takeWrite(lease, newOwner), options);
  }

  /**
   * Lets go of a lease: removes the owner — or, when the item shows a graceful handoff from the
   * caller (`checkpointOwner`), removes that, passing the lease to the worker that asked for it.
   * The caller's view may not show a handoff asked for since its last write (asking does not move
   * the counter): when the form its view calls for fails its condition, the other is tried.
   */
  async releaseLease(lease: Lease, options: LeaseCallOptions = {}): Promise<Lease> {
    assertValidLease(lease);
    const forms = actualOwnerOf(lease) === undefined ? [false] : lease.checkpointOwner === undefined ? [false, true] : [true, false];
    let lost: unknown;
    for (const handingOver of forms) {
      try {
        return await this.#update('releaseLease', lease, releaseWrite(lease, handingOver), options);
      } catch (error) {
        if (!(error instanceof LeaseLostError)) throw error;
        lost = error;
      }
    }
    throw lost;
  }

  async initiateGracefulHandoff(lease: Lease, newOwner: string, options: LeaseCallOptions = {}): Promise<Lease> {
    const from = assertHandoff(lease, newOwner);
    return this.#update('initiateGracefulHandoff', lease, handoffWrite(from, newOwner), options);
  }

  async updateCheckpoint(
    lease: Lease,
    checkpoint: ExtendedSequenceNumber,
    pending?: { readonly checkpoint: ExtendedSequenceNumber; readonly state?: Uint8Array },
    options: LeaseCallOptions = {},
  ): Promise<Lease> {
    assertValidLease(lease);
    assertValidCheckpoint('checkpoint', checkpoint);
    if (pending !== undefined) assertValidCheckpoint('pending.checkpoint', pending.checkpoint);
    return this.#update('updateCheckpoint', lease, checkpointWrite(lease, checkpoint, pending), options);
  }

  async preparePendingCheckpoint(lease: Lease, pending: ExtendedSequenceNumber, state?: Uint8Array, options: LeaseCallOptions = {}): Promise<Lease> {
    assertValidLease(lease);
    assertValidCheckpoint('pending', pending);
    return this.#update('preparePendingCheckpoint', lease, prepareWrite(lease, pending, state), options);
  }

  async updateChildShardIds(lease: Lease, childShardIds: readonly string[], options: LeaseCallOptions = {}): Promise<Lease> {
    assertValidLease(lease);
    assertValidShardIds('childShardIds', childShardIds);
    return this.#update('updateChildShardIds', lease, childShardIdsWrite(lease, childShardIds), options);
  }

  async deleteLease(leaseKey: string, options: LeaseCallOptions = {}): Promise<void> {
    assertValidLeaseKey(leaseKey);
    await this.#send('deleteLease', new DeleteItemCommand({ TableName: this.tableName, Key: { [A.leaseKey]: stringValue(leaseKey) } }), leaseKey, options);
  }

  async #update(operation: string, lease: Lease, { update, showsThisWrite }: LeaseWrite, options: LeaseCallOptions): Promise<Lease> {
    let attributes: LeaseItem | undefined;
    try {
      const command = new UpdateItemCommand({ TableName: this.tableName, Key: { [A.leaseKey]: stringValue(lease.leaseKey) }, ...update.build(), ReturnValues: 'ALL_NEW' });
      attributes = (await this.#call(command, lease.leaseKey, options)).Attributes;
    } catch (error) {
      if (awsErrorCodeOf(error) === CONDITION_FAILED && wasRetried(error)) {
        const stored = await this.getLease(lease.leaseKey, options).catch(() => undefined);
        if (stored !== undefined && showsThisWrite(stored)) {
          this.#config.logger.info({ leaseKey: lease.leaseKey, operation }, 'a retried lease update failed its condition, but the first attempt had been applied');
          return stored;
        }
      }
      throw this.#error(operation, error, lease.leaseKey, options);
    }
    if (attributes === undefined) {
      throw new LeaseStoreError(this.#operation(operation), new Error('UpdateItem returned no attributes'), false, lease.leaseKey);
    }
    return deserializeLease(attributes);
  }

  /** One DynamoDB command through core's `callAws`: a deadline per attempt, the one classifier, bounded retries. */
  #call<C extends object>(command: C, leaseKey: string | undefined, options: LeaseCallOptions): Promise<CommandOutputOf<C>> {
    return callAws(this.#client, command, {
      service: 'DynamoDB',
      timeoutMs: this.#config.requestTimeoutMs,
      retry: this.#retry,
      signal: options.signal,
      context: leaseKey === undefined ? { table: this.tableName } : { table: this.tableName, leaseKey },
      logger: this.#config.logger,
    });
  }

  async #send<C extends object>(operation: string, command: C, leaseKey: string | undefined, options: LeaseCallOptions): Promise<CommandOutputOf<C>> {
    try {
      return await this.#call(command, leaseKey, options);
    } catch (error) {
      throw this.#error(operation, error, leaseKey, options);
    }
  }

  /**
   * `LeaseLostError` for a failed condition; the caller's own abort reason as it is; otherwise a
   * `LeaseStoreError`, retryable as the classifier says (throttled, transient, expired credentials).
   */
  #error(operation: string, error: unknown, leaseKey: string | undefined, options: LeaseCallOptions): Error {
    if (options.signal?.aborted) return error as Error;
    if (awsErrorCodeOf(error) === CONDITION_FAILED && leaseKey !== undefined) return new LeaseLostError(leaseKey, operation, error);
    if (error instanceof LeaseStoreError || error instanceof MalformedLeaseError) return error;
    const retryable = error instanceof AwsRequestError ? error.retryable : true;
    return new LeaseStoreError(this.#operation(operation), error, retryable, leaseKey);
  }

  #operation(operation: string): string {
    return `${operation} on table ${this.tableName}`;
  }
}

/** Whether a failed call may have had an earlier attempt applied: retried by us (after a deadline) or by the client's SDK. */
function wasRetried(error: unknown): boolean {
  if (!(error instanceof AwsRequestError)) return false;
  const sdkAttempts = (error.cause as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
  return error.attempts > 1 || (typeof sdkAttempts === 'number' && sdkAttempts > 1);
}
