// A KCL worker in its own node process, for the multi-process integration tests. It runs the
// BUILT package (@kinesis-toolkit/kcl resolves to packages/kcl/dist), so run `npm run build`
// first; test/WorkerProcess.ts checks that and forks this script with
// `node -r ts-node/register/transpile-only`. Options come as JSON in argv[2]; everything the
// worker and its processors do is reported to the parent over the IPC channel (see
// workerProcessProtocol.ts). SIGTERM → worker.shutdown() → 'stopped' → exit 0. The process
// exits by itself when the parent goes away (the IPC channel closes).
import { InvalidCheckpointError, Worker, type Checkpointer, type InitializationInput, type ProcessRecordsInput, type RecordProcessor } from '@kinesis-toolkit/kcl';
import { createDynamoDBClient, createKinesisClient } from '@kinesis-toolkit/testing';
import type { ReportedPosition, WorkerCommand, WorkerMessage, WorkerProcessOptions } from './workerProcessProtocol';

type Unstamped<M> = M extends WorkerMessage ? Omit<M, 'at'> : never;

const options = JSON.parse(process.argv[2] ?? '{}') as WorkerProcessOptions;

/** Sends a message and resolves once it has been written to the IPC pipe (it survives a SIGKILL after that). */
function report(message: Unstamped<WorkerMessage>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send || !process.connected) return reject(new Error('no IPC channel to the parent'));
    process.send({ ...message, at: Date.now() }, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** Reports every record it is given, then checkpoints the batch; reports the lifecycle. */
class ReportingProcessor implements RecordProcessor {
  #shardId = '';
  #lastDelivered: ReportedPosition | undefined;
  #lastCheckpoint: ReportedPosition | undefined;
  #batchesSinceCheckpoint = 0;

  async initialize(input: InitializationInput): Promise<void> {
    this.#shardId = input.shardId;
    const { sequenceNumber, subSequenceNumber } = input.startingSequenceNumber;
    await report({ type: 'initialize', shardId: input.shardId, startingSequenceNumber: { sequenceNumber, subSequenceNumber } });
  }

  async processRecords({ records, checkpointer }: ProcessRecordsInput): Promise<void> {
    const shardId = this.#shardId;
    // Delivery is on record (in the parent's pipe) before the checkpoint can be written.
    await report({
      type: 'records',
      shardId,
      records: records.map((r) => ({ data: r.data.toString('utf8'), partitionKey: r.partitionKey, sequenceNumber: r.sequenceNumber, subSequenceNumber: r.subSequenceNumber })),
    });
    if (options.batchProcessingMs) await new Promise((resolve) => setTimeout(resolve, options.batchProcessingMs));
    const last = records[records.length - 1]!;
    this.#lastDelivered = { sequenceNumber: last.sequenceNumber, subSequenceNumber: last.subSequenceNumber };
    if (++this.#batchesSinceCheckpoint < (options.checkpointEveryBatches ?? 1)) return;
    this.#batchesSinceCheckpoint = 0;
    try {
      await checkpointer.checkpoint();
      this.#lastCheckpoint = this.#lastDelivered;
      void report({ type: 'checkpointed', shardId, position: this.#lastCheckpoint }).catch(() => undefined);
    } catch (error) {
      // A lost lease (stolen while balancing): the worker stops this shard; nothing to retry.
      void report({ type: 'checkpointFailed', shardId, errorName: (error as Error)?.name ?? 'Error', error: describe(error) }).catch(() => undefined);
    }
  }

  async leaseLost(): Promise<void> {
    await report({ type: 'processorLeaseLost', shardId: this.#shardId }).catch(() => undefined);
  }

  async shardEnded({ checkpointer }: { checkpointer: Checkpointer }): Promise<void> {
    await checkpointer.checkpoint();
    await report({ type: 'event', name: 'shardEnded', shardId: this.#shardId }).catch(() => undefined);
  }

  async shutdownRequested({ checkpointer }: { checkpointer: Checkpointer }): Promise<void> {
    try {
      await checkpointer.checkpoint();
      this.#lastCheckpoint = this.#lastDelivered;
    } catch (error) {
      // Nothing delivered since this worker took the shard: the lease's checkpoint stands.
      if (!(error instanceof InvalidCheckpointError)) throw error;
    }
    await report({ type: 'shutdownRequested', shardId: this.#shardId, checkpointed: this.#lastCheckpoint });
  }
}

async function main(): Promise<void> {
  const kinesis = createKinesisClient(options.kinesisEndpoint);
  const dynamo = createDynamoDBClient(options.dynamodbEndpoint);
  const worker = new Worker({
    streamName: options.streamName,
    applicationName: options.applicationName,
    workerId: options.workerId,
    kinesisClient: kinesis,
    dynamoClient: dynamo,
    initialPosition: options.initialPosition,
    failoverTimeMs: options.failoverTimeMs,
    idleTimeBetweenReadsMs: options.idleTimeBetweenReadsMs,
    ...(options.gracefulLeaseHandoffTimeoutMs === undefined ? {} : { gracefulLeaseHandoffTimeoutMs: options.gracefulLeaseHandoffTimeoutMs }),
    processorFactory: () => new ReportingProcessor(),
  });
  const forward = (name: Extract<WorkerMessage, { type: 'event' }>['name'], shardId: string | undefined, extra: { previousOwner?: string; how?: string; detail?: string } = {}) =>
    void report({ type: 'event', name, shardId, ...extra }).catch(() => undefined);
  worker.on('leaseTaken', (e) => forward('leaseTaken', e.shardId, { how: e.how, ...(e.previousOwner === undefined ? {} : { previousOwner: e.previousOwner }) }));
  worker.on('leaseHandoffRequested', (e) => forward('leaseHandoffRequested', e.shardId, { detail: e.newOwner }));
  worker.on('leaseProcessing', (e) => forward('leaseProcessing', e.shardId));
  worker.on('leaseLost', (e) => forward('leaseLost', e.shardId));
  worker.on('recordsOutOfRange', (e) => forward('recordsOutOfRange', e.shardId, { detail: String(e.records.length) }));
  worker.on('corruptRecord', (e) => forward('corruptRecord', e.shardId, { detail: e.reason }));
  worker.on('malformedLease', (e) => forward('malformedLease', String(e.context.leaseKey), { detail: e.message }));
  worker.on('processorError', (e) => forward('processorError', String(e.context.shardId ?? ''), { detail: e.message }));
  worker.on('shardError', (e) => forward('shardError', String(e.context.shardId ?? ''), { detail: e.message }));

  process.on('message', (command: WorkerCommand) => {
    if (command?.type === 'reportHeld') void report({ type: 'held', requestId: command.requestId, shardIds: worker.heldShards }).catch(() => undefined);
  });
  process.once('SIGTERM', () => {
    const begun = Date.now();
    void worker
      .shutdown()
      .then(() => report({ type: 'stopped', shutdownMs: Date.now() - begun }))
      .then(
        () => finish(0),
        () => finish(1),
      );
  });
  const finish = (code: number) => {
    kinesis.destroy();
    dynamo.destroy();
    process.exit(code);
  };

  try {
    await worker.start();
  } catch (error) {
    await report({ type: 'startFailed', error: describe(error) }).catch(() => undefined);
    finish(1);
    return;
  }
  await report({ type: 'started', pid: process.pid });
}

// An orphan must not keep consuming (and holding leases) after the test is gone.
process.on('disconnect', () => process.exit(2));
void main();
