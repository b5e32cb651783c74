import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { LeaseLostError, LeaseStoreError, MalformedLeaseError } from './errors';
import type { ExtendedSequenceNumber, Lease } from './Lease';
import type { LeaseListing, LeaseStore } from './LeaseStore';
import { resolveDynamoDBLeaseStoreOptions, type DynamoDBLeaseStoreOptions, type ResolvedDynamoDBLeaseStoreOptions } from './DynamoDBLeaseStoreOptions';
import { LEASE_ATTRIBUTES as A, binaryValue, deserializeLease, numberValue, serializeLease, stringSetValue, stringValue, type LeaseItem } from './LeaseSerializer';
import { LeaseUpdate } from './LeaseUpdate';
import { ensureLeaseTable } from './ensureLeaseTable';
import { classifyDynamoDBError, sdkAttempts } from './classifyDynamoDBError';
import {
  assertValidCheckpoint,
  assertValidLease,
  assertValidLeaseKey,
  assertValidOwner,
  assertValidShardIds,
  normalizeShardIds,
  sameCheckpoint,
} from './leaseValidation';

/**
 * The lease table in DynamoDB, in the Java KCL 2.x item format (see `LeaseSerializer`), so that a
 * Java KCL application's table can be taken over by this worker and back.
 *
 * Every change to an existing lease is one `UpdateItem` that sets or removes only the lease's own
 * attributes (others on the item are kept), conditioned on `leaseCounter` (and `leaseOwner` where
 * `LeaseStore` says so), returning the new item. No transactions (dynalite has none, and none are
 * needed). Each operation is one SDK call: retries are the client's own (`maxAttempts`); this
 * store adds none, so attempts do not multiply. When the SDK did retry and the retry then failed
 * its condition, the first attempt may have been applied with its answer lost; the store reads the
 * item back and, if it shows exactly this write, returns it instead of a false `LeaseLostError`
 * (the Java KCL does the same for renewals).
 */
export class DynamoDBLeaseStore implements LeaseStore {
  readonly #client: DynamoDBClient;
  readonly #config: ResolvedDynamoDBLeaseStoreOptions;

  /** @throws TypeError for invalid options. */
  constructor(client: DynamoDBClient, options: DynamoDBLeaseStoreOptions) {
    if (typeof client?.send !== 'function') throw new TypeError('client: expected a DynamoDBClient');
    this.#client = client;
    this.#config = resolveDynamoDBLeaseStoreOptions(options);
  }

  /** The lease table's name. */
  get tableName(): string {
    return this.#config.tableName;
  }

  /** Creates the table if missing (see `ensureLeaseTable`) and waits until it is ACTIVE. */
  ensureTable(): Promise<void> {
    return ensureLeaseTable(this.#client, this.#config);
  }

  async listLeases(): Promise<LeaseListing> {
    const leases: Lease[] = [];
    const malformed: MalformedLeaseError[] = [];
    let startKey: LeaseItem | undefined;
    do {
      const page = await this.#send('listLeases', undefined, () =>
        this.#client.send(
          new ScanCommand({
            TableName: this.tableName,
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
            Limit: Number.isFinite(this.#config.listPageSize) ? this.#config.listPageSize : undefined,
          }),
        ),
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

  async getLease(leaseKey: string): Promise<Lease | undefined> {
    assertValidLeaseKey(leaseKey);
    const output = await this.#send('getLease', leaseKey, () =>
      this.#client.send(new GetItemCommand({ TableName: this.tableName, Key: { [A.leaseKey]: stringValue(leaseKey) }, ConsistentRead: true })),
    );
    return output.Item === undefined ? undefined : deserializeLease(output.Item);
  }

  async createLeaseIfNotExists(lease: Lease): Promise<boolean> {
    assertValidLease(lease);
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: serializeLease(lease),
          // A put only where no item exists: never over an existing lease.
          ConditionExpression: 'attribute_not_exists(#leaseKey)',
          ExpressionAttributeNames: { '#leaseKey': A.leaseKey },
        }),
      );
      return true;
    } catch (error) {
      if (classifyDynamoDBError(error) === 'conditionFailed') return false;
      throw this.#error('createLeaseIfNotExists', error, lease.leaseKey);
    }
  }

  async renewLease(lease: Lease): Promise<Lease> {
    assertValidLease(lease);
    const next = lease.leaseCounter + 1;
    const update = new LeaseUpdate().expectCounter(lease.leaseCounter).expectOwner(lease.leaseOwner).set(A.leaseCounter, numberValue(next));
    return this.#update('renewLease', lease, update, (stored) => stored.leaseCounter === next && stored.leaseOwner === lease.leaseOwner);
  }

  async takeLease(lease: Lease, newOwner: string): Promise<Lease> {
    assertValidLease(lease);
    assertValidOwner('newOwner', newOwner);
    const next = lease.leaseCounter + 1;
    const update = new LeaseUpdate()
      .expectCounter(lease.leaseCounter)
      .set(A.leaseCounter, numberValue(next))
      .set(A.leaseOwner, stringValue(newOwner))
      .remove(A.checkpointOwner);
    // As the Java KCL: taking an unowned lease is not an owner switch.
    if (lease.leaseOwner !== undefined && lease.leaseOwner !== newOwner) update.add(A.ownerSwitchesSinceCheckpoint, 1);
    return this.#update('takeLease', lease, update, (stored) => stored.leaseCounter === next && stored.leaseOwner === newOwner);
  }

  async releaseLease(lease: Lease): Promise<Lease> {
    assertValidLease(lease);
    const next = lease.leaseCounter + 1;
    const update = new LeaseUpdate()
      .expectCounter(lease.leaseCounter)
      .expectOwner(lease.leaseOwner)
      .set(A.leaseCounter, numberValue(next))
      .remove(A.leaseOwner);
    return this.#update('releaseLease', lease, update, (stored) => stored.leaseCounter === next && stored.leaseOwner === undefined);
  }

  async updateCheckpoint(
    lease: Lease,
    checkpoint: ExtendedSequenceNumber,
    pending?: { readonly checkpoint: ExtendedSequenceNumber; readonly state?: Uint8Array },
  ): Promise<Lease> {
    assertValidLease(lease);
    assertValidCheckpoint('checkpoint', checkpoint);
    if (pending !== undefined) assertValidCheckpoint('pending.checkpoint', pending.checkpoint);
    const next = lease.leaseCounter + 1;
    const update = new LeaseUpdate()
      .expectCounter(lease.leaseCounter)
      .expectOwner(lease.leaseOwner)
      .set(A.leaseCounter, numberValue(next))
      .set(A.checkpoint, stringValue(checkpoint.sequenceNumber))
      .set(A.checkpointSubSequenceNumber, numberValue(checkpoint.subSequenceNumber))
      .set(A.ownerSwitchesSinceCheckpoint, numberValue(0));
    setPending(update, pending?.checkpoint, pending?.state);
    return this.#update(
      'updateCheckpoint',
      lease,
      update,
      (stored) =>
        stored.leaseCounter === next &&
        stored.leaseOwner === lease.leaseOwner &&
        sameCheckpoint(stored.checkpoint, checkpoint) &&
        sameCheckpoint(stored.pendingCheckpoint, pending?.checkpoint),
    );
  }

  async preparePendingCheckpoint(lease: Lease, pending: ExtendedSequenceNumber, state?: Uint8Array): Promise<Lease> {
    assertValidLease(lease);
    assertValidCheckpoint('pending', pending);
    const next = lease.leaseCounter + 1;
    const update = new LeaseUpdate().expectCounter(lease.leaseCounter).expectOwner(lease.leaseOwner).set(A.leaseCounter, numberValue(next));
    setPending(update, pending, state);
    return this.#update(
      'preparePendingCheckpoint',
      lease,
      update,
      (stored) => stored.leaseCounter === next && stored.leaseOwner === lease.leaseOwner && sameCheckpoint(stored.pendingCheckpoint, pending),
    );
  }

  async updateChildShardIds(lease: Lease, childShardIds: readonly string[]): Promise<Lease> {
    assertValidLease(lease);
    assertValidShardIds('childShardIds', childShardIds);
    const next = lease.leaseCounter + 1;
    const update = new LeaseUpdate().expectCounter(lease.leaseCounter).set(A.leaseCounter, numberValue(next));
    if (childShardIds.length > 0) update.set(A.childShardIds, stringSetValue(childShardIds));
    else update.remove(A.childShardIds);
    const wanted = normalizeShardIds(childShardIds).join(',');
    return this.#update('updateChildShardIds', lease, update, (stored) => stored.leaseCounter === next && stored.childShardIds.join(',') === wanted);
  }

  async deleteLease(leaseKey: string): Promise<void> {
    assertValidLeaseKey(leaseKey);
    await this.#send('deleteLease', leaseKey, () =>
      this.#client.send(new DeleteItemCommand({ TableName: this.tableName, Key: { [A.leaseKey]: stringValue(leaseKey) } })),
    );
  }

  async #update(operation: string, lease: Lease, update: LeaseUpdate, showsThisWrite: (stored: Lease) => boolean): Promise<Lease> {
    let attributes: LeaseItem | undefined;
    try {
      const output = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [A.leaseKey]: stringValue(lease.leaseKey) },
          ...update.build(),
          ReturnValues: 'ALL_NEW',
        }),
      );
      attributes = output.Attributes;
    } catch (error) {
      if (classifyDynamoDBError(error) === 'conditionFailed' && sdkAttempts(error) > 1) {
        const stored = await this.getLease(lease.leaseKey).catch(() => undefined);
        if (stored !== undefined && showsThisWrite(stored)) {
          this.#config.logger.info({
            leaseKey: lease.leaseKey,
            operation,
          }, 'a retried lease update failed its condition, but the first attempt had been applied');
          return stored;
        }
      }
      throw this.#error(operation, error, lease.leaseKey);
    }
    if (attributes === undefined) {
      throw new LeaseStoreError(this.#operation(operation), new Error('UpdateItem returned no attributes'), false, lease.leaseKey);
    }
    return deserializeLease(attributes);
  }

  async #send<T>(operation: string, leaseKey: string | undefined, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.#error(operation, error, leaseKey);
    }
  }

  /** `LeaseLostError` for a failed condition; otherwise `LeaseStoreError`, retryable when throttled or transient. */
  #error(operation: string, error: unknown, leaseKey?: string): LeaseLostError | LeaseStoreError {
    const kind = classifyDynamoDBError(error);
    if (kind === 'conditionFailed' && leaseKey !== undefined) return new LeaseLostError(leaseKey, operation, error);
    return new LeaseStoreError(this.#operation(operation), error, kind === 'throttled' || kind === 'transient', leaseKey);
  }

  #operation(operation: string): string {
    return `${operation} on table ${this.tableName}`;
  }
}

/** Sets the pending checkpoint and its state, removing a state that is not given. */
function setPending(update: LeaseUpdate, pending: ExtendedSequenceNumber | undefined, state: Uint8Array | undefined): void {
  if (pending === undefined) {
    update.remove(A.pendingCheckpoint).remove(A.pendingCheckpointSubSequenceNumber).remove(A.pendingCheckpointState);
    return;
  }
  update.set(A.pendingCheckpoint, stringValue(pending.sequenceNumber)).set(A.pendingCheckpointSubSequenceNumber, numberValue(pending.subSequenceNumber));
  if (state === undefined) update.remove(A.pendingCheckpointState);
  else update.set(A.pendingCheckpointState, binaryValue(state));
}
