import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { MalformedLeaseError } from './errors';
import type { ExtendedSequenceNumber, Lease } from './Lease';
import { isValidCheckpointValue, isValidHashKey, normalizeShardIds } from './leaseValidation';

/** A DynamoDB item as the low-level client reads and writes it. */
export type LeaseItem = Record<string, AttributeValue>;

/**
 * The attribute names of a lease table item, exactly as the Java KCL 2.x
 * `DynamoDBLeaseSerializer` writes them, and the KCL 3.x's `checkpointOwner` (graceful
 * handoff). Any other attribute of an item (KCL 3.x's `throughputKBps`, multi-stream
 * `streamName`/`shardId`, a user's own) is ignored on read and left untouched on update.
 */
export const LEASE_ATTRIBUTES = Object.freeze({
  leaseKey: 'leaseKey',
  leaseOwner: 'leaseOwner',
  leaseCounter: 'leaseCounter',
  ownerSwitchesSinceCheckpoint: 'ownerSwitchesSinceCheckpoint',
  checkpoint: 'checkpoint',
  checkpointSubSequenceNumber: 'checkpointSubSequenceNumber',
  pendingCheckpoint: 'pendingCheckpoint',
  pendingCheckpointSubSequenceNumber: 'pendingCheckpointSubSequenceNumber',
  pendingCheckpointState: 'pendingCheckpointState',
  /** Singular in the Java KCL, though it holds one or two ids (a string set). */
  parentShardIds: 'parentShardId',
  childShardIds: 'childShardIds',
  startingHashKey: 'startingHashKey',
  endingHashKey: 'endingHashKey',
  /**
   * KCL 3.x: the previous owner during a graceful handoff (`leaseOwner` is then the next one). Set
   * by `initiateGracefulHandoff`, removed when the previous owner lets go (`releaseLease`) and by
   * any take, as in the KCL 3.x.
   */
  checkpointOwner: 'checkpointOwner',
});

const A = LEASE_ATTRIBUTES;

/** A DynamoDB string attribute. */
export const stringValue = (value: string): AttributeValue => ({ S: value });
/** A DynamoDB number attribute. */
export const numberValue = (value: number): AttributeValue => ({ N: String(value) });
/** A DynamoDB string-set attribute; the set must not be empty. */
export const stringSetValue = (values: readonly string[]): AttributeValue => ({ SS: normalizeShardIds(values) });
/** A DynamoDB binary attribute (a copy of `bytes`). */
export const binaryValue = (bytes: Uint8Array): AttributeValue => ({ B: Uint8Array.from(bytes) });

/**
 * The full item for a new lease, in the Java KCL 2.x format. Optional attributes are left out
 * when empty, as the Java KCL does: no `leaseOwner` for an unowned lease (never a "NULL"
 * string), no empty string sets (DynamoDB forbids them), no pending checkpoint attributes
 * unless one is prepared. Expects a lease that passed `assertValidLease`.
 */
export function serializeLease(lease: Lease): LeaseItem {
  const item: LeaseItem = {
    [A.leaseKey]: stringValue(lease.leaseKey),
    [A.leaseCounter]: numberValue(lease.leaseCounter),
    [A.ownerSwitchesSinceCheckpoint]: numberValue(lease.ownerSwitchesSinceCheckpoint),
    [A.checkpoint]: stringValue(lease.checkpoint.sequenceNumber),
    [A.checkpointSubSequenceNumber]: numberValue(lease.checkpoint.subSequenceNumber),
  };
  if (lease.leaseOwner !== undefined) item[A.leaseOwner] = stringValue(lease.leaseOwner);
  if (lease.checkpointOwner !== undefined) item[A.checkpointOwner] = stringValue(lease.checkpointOwner);
  if (lease.parentShardIds.length > 0) item[A.parentShardIds] = stringSetValue(lease.parentShardIds);
  if (lease.childShardIds.length > 0) item[A.childShardIds] = stringSetValue(lease.childShardIds);
  if (lease.pendingCheckpoint !== undefined) {
    item[A.pendingCheckpoint] = stringValue(lease.pendingCheckpoint.sequenceNumber);
    item[A.pendingCheckpointSubSequenceNumber] = numberValue(lease.pendingCheckpoint.subSequenceNumber);
  }
  if (lease.pendingCheckpointState !== undefined) item[A.pendingCheckpointState] = binaryValue(lease.pendingCheckpointState);
  if (lease.hashKeyRange !== undefined) {
    item[A.startingHashKey] = stringValue(lease.hashKeyRange.startingHashKey);
    item[A.endingHashKey] = stringValue(lease.hashKeyRange.endingHashKey);
  }
  return item;
}

/**
 * The `leaseKey` of an item, for naming it in an error: its string (or, wrongly typed, number)
 * value, or `''` when it has neither.
 */
export function leaseKeyOfItem(item: LeaseItem): string {
  const value = item[A.leaseKey]?.S ?? item[A.leaseKey]?.N;
  return typeof value === 'string' ? value : '';
}

/**
 * Reads a lease table item written by the Java KCL 2.x (or 1.x, or 3.x, or this worker).
 * Required: `leaseKey` (S, non-empty), `leaseCounter` (N) and `checkpoint` (S: digits or a
 * sentinel). Optional with the Java KCL's defaults: `ownerSwitchesSinceCheckpoint` and the
 * sub-sequence numbers (0), the shard-id sets (empty), the rest (absent). An attribute of DynamoDB
 * type NULL counts as absent. Unknown attributes are ignored.
 *
 * @throws MalformedLeaseError naming the item's leaseKey and the first problem found.
 */
export function deserializeLease(item: LeaseItem): Lease {
  const reader = new ItemReader(item);
  const leaseKey = reader.requiredString(A.leaseKey);
  const leaseCounter = reader.count(A.leaseCounter, true) as number;
  const checkpoint = reader.position(A.checkpoint, A.checkpointSubSequenceNumber, true) as ExtendedSequenceNumber;
  const leaseOwner = reader.optionalString(A.leaseOwner);
  if (leaseOwner === '') reader.fail(`${A.leaseOwner} is an empty string`);
  const checkpointOwner = reader.optionalString(A.checkpointOwner);
  if (checkpointOwner === '') reader.fail(`${A.checkpointOwner} is an empty string`);
  const startingHashKey = reader.hashKey(A.startingHashKey);
  const endingHashKey = reader.hashKey(A.endingHashKey);
  if ((startingHashKey === undefined) !== (endingHashKey === undefined)) {
    reader.fail(`${startingHashKey === undefined ? A.endingHashKey : A.startingHashKey} is present without the other end of the hash-key range`);
  }
  if (startingHashKey !== undefined && endingHashKey !== undefined && BigInt(startingHashKey) > BigInt(endingHashKey)) {
    reader.fail(`${A.startingHashKey} ${startingHashKey} is above ${A.endingHashKey} ${endingHashKey}`);
  }
  return {
    leaseKey,
    leaseOwner,
    ...(checkpointOwner === undefined ? {} : { checkpointOwner }),
    leaseCounter,
    checkpoint,
    // The Java KCL treats an empty pendingCheckpoint string as no pending checkpoint.
    pendingCheckpoint: reader.position(A.pendingCheckpoint, A.pendingCheckpointSubSequenceNumber, false),
    pendingCheckpointState: reader.pendingCheckpointState(),
    ownerSwitchesSinceCheckpoint: reader.count(A.ownerSwitchesSinceCheckpoint, false) ?? 0,
    parentShardIds: reader.stringSet(A.parentShardIds),
    childShardIds: reader.stringSet(A.childShardIds),
    hashKeyRange: startingHashKey === undefined || endingHashKey === undefined ? undefined : { startingHashKey, endingHashKey },
  };
}

/** Typed access to the attributes of one item; every failure names the item's leaseKey. */
class ItemReader {
  readonly #item: LeaseItem;

  constructor(item: LeaseItem) {
    this.#item = item;
  }

  fail(problem: string): never {
    throw new MalformedLeaseError(leaseKeyOfItem(this.#item), problem);
  }

  /** The attribute, or undefined when it is absent or of DynamoDB type NULL. */
  #get(name: string): AttributeValue | undefined {
    const value = this.#item[name];
    return value === undefined || value.NULL === true ? undefined : value;
  }

  #expect<T>(name: string, type: 'S' | 'N' | 'SS' | 'B', value: AttributeValue): T {
    const found = (value as unknown as Record<string, unknown>)[type];
    if (found === undefined) this.fail(`${name} is of type ${typeOf(value)}, expected ${type}`);
    return found as T;
  }

  requiredString(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined) this.fail(`${name} is missing`);
    if (value === '') this.fail(`${name} is an empty string`);
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.#get(name);
    return value === undefined ? undefined : this.#expect<string>(name, 'S', value);
  }

  count(name: string, required: boolean): number | undefined {
    const value = this.#get(name);
    if (value === undefined) return required ? this.fail(`${name} is missing`) : undefined;
    const text = this.#expect<string>(name, 'N', value);
    const parsed = Number(text);
    if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(parsed)) {
      this.fail(`${name} is ${JSON.stringify(text)}, expected a non-negative integer below 2^53`);
    }
    return parsed;
  }

  position(sequenceName: string, subSequenceName: string, required: boolean): ExtendedSequenceNumber | undefined {
    const sequenceNumber = this.optionalString(sequenceName);
    if (sequenceNumber === undefined || sequenceNumber === '') {
      return required ? this.fail(`${sequenceName} is ${sequenceNumber === undefined ? 'missing' : 'an empty string'}`) : undefined;
    }
    if (!isValidCheckpointValue(sequenceNumber)) {
      this.fail(`${sequenceName} is ${JSON.stringify(sequenceNumber)}, expected a sequence number or a sentinel`);
    }
    // The Java KCL reads a missing sub-sequence number as 0.
    return { sequenceNumber, subSequenceNumber: this.count(subSequenceName, false) ?? 0 };
  }

  pendingCheckpointState(): Uint8Array | undefined {
    const value = this.#get(A.pendingCheckpointState);
    // The Java KCL's toDynamoRecord writes the checkpoint's sub-sequence number (N) here instead
    // of the state bytes; such a value carries no state, so it reads as none.
    if (value === undefined || value.N !== undefined) return undefined;
    return Uint8Array.from(this.#expect<Uint8Array>(A.pendingCheckpointState, 'B', value));
  }

  stringSet(name: string): string[] {
    const value = this.#get(name);
    return value === undefined ? [] : normalizeShardIds(this.#expect<string[]>(name, 'SS', value));
  }

  hashKey(name: string): string | undefined {
    const value = this.optionalString(name);
    if (value === undefined || value === '') return undefined;
    if (!isValidHashKey(value)) this.fail(`${name} is ${JSON.stringify(value)}, expected a decimal hash key in 0..2^128-1`);
    return value;
  }
}

/** The DynamoDB type of an attribute value (`S`, `N`, `SS`, `M`...), for error messages. */
function typeOf(value: AttributeValue): string {
  const entry = Object.entries(value).find(([key, field]) => key !== '$unknown' && field !== undefined);
  return entry?.[0] ?? 'unknown';
}
