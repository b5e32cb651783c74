import type { Worker } from '@kinesis-toolkit/kcl';
declare const worker: Worker;

worker.on('leaseTaken', ({ shardId, previousOwner }) => {});
worker.on('leaseLost', ({ shardId }) => {});
worker.on('shardEnded', ({ shardId, childShardIds }) => {});
worker.on('processorError', (error) => {});          // the batch is retried
worker.on('recordsOutOfRange', ({ shardId, records }) => {});
worker.on('corruptRecord', ({ shardId, sequenceNumber, reason }) => {});
worker.on('malformedLease', (error) => {});          // error.context.leaseKey
export {};
