// The KCL's errors beyond the lease store's (leases/errors.ts). Every one is a KinesisToolkitError.
export { InvalidCheckpointError } from './InvalidCheckpointError';
export { ShardEndNotCheckpointedError } from './ShardEndNotCheckpointedError';
export { ShardProcessingError } from './ShardProcessingError';
export { ShardFailedError, reasonOf } from './ShardFailedError';
export { WorkerFailedError } from './WorkerFailedError';
export { WorkerStateError } from './WorkerStateError';
