// The leases subsystem as the rest of the KCL package sees it. Internal: the package's public
// door is src/index.ts.

export type { ExtendedSequenceNumber, Lease, SentinelCheckpoint } from './Lease';
export { actualOwnerOf } from './Lease';
export type { LeaseCallOptions, LeaseListing, LeaseStore } from './LeaseStore';
export { LeaseLostError, LeaseStoreError, MalformedLeaseError } from './errors';

export { DynamoDBLeaseStore } from './DynamoDBLeaseStore';
export { DYNAMODB_LEASE_STORE_DEFAULTS, resolveDynamoDBLeaseStoreOptions } from './DynamoDBLeaseStoreOptions';
export type { DynamoDBLeaseStoreOptions, LeaseTableBillingMode, ResolvedDynamoDBLeaseStoreOptions } from './DynamoDBLeaseStoreOptions';
export { InMemoryLeaseStore } from './InMemoryLeaseStore';

export { LEASE_ATTRIBUTES, deserializeLease, serializeLease } from './LeaseSerializer';
export type { LeaseItem } from './LeaseSerializer';
export {
  SENTINEL_CHECKPOINTS,
  copyLease,
  isSentinelCheckpoint,
  isValidCheckpointValue,
  sameCheckpoint,
} from './leaseValidation';
