// A KCL Worker running a connector pipeline into PostgreSQL, in its own node process, for the
// kill -9 test. It runs the BUILT packages (@kinesis-toolkit/* resolve to packages/*/dist), so
// build first; PipelineWorkerProcess.ts checks that and forks this script with
// `node -r ts-node/register/transpile-only`. Options come as JSON in argv[2]. Each emit reports
// the batch once PostgreSQL has committed it, then lingers (`emitDelayMs`) before returning —
// so a SIGKILL that follows the report lands mid-flush: rows written, checkpoint not moved.
// The process exits when the parent goes away (the IPC channel closes).
import { createPipeline, JsonTransformer, MappingEmitter, PostgresEmitter, type EmitBatch, type Emitter, type EmitResult, type PostgresRow } from '@kinesis-toolkit/connector';
import { Worker } from '@kinesis-toolkit/kcl';
import { createDynamoDBClient, createKinesisClient } from '@kinesis-toolkit/testing';
import type { PipelineWorkerMessage, PipelineWorkerOptions } from './pipelineWorkerProtocol';

type Unstamped<M> = M extends PipelineWorkerMessage ? Omit<M, 'at'> : never;

const options = JSON.parse(process.argv[2] ?? '{}') as PipelineWorkerOptions;

/** Sends a message and resolves once it is in the IPC pipe (it survives a SIGKILL after that). */
function report(message: Unstamped<PipelineWorkerMessage>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send || !process.connected) return reject(new Error('no IPC channel to the parent'));
    process.send({ ...message, at: Date.now() }, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

/** Writes through `inner`, reports the batch, then lingers before returning. */
class LingeringEmitter implements Emitter<string> {
  constructor(private readonly inner: Emitter<string>) {}

  async emit(batch: EmitBatch<string>): Promise<EmitResult<string>> {
    const result = await this.inner.emit(batch);
    await report({ type: 'emitted', shardId: batch.shardId, batchId: batch.batchId, items: batch.items.length, first: batch.first, last: batch.last });
    await new Promise((resolve) => setTimeout(resolve, options.emitDelayMs));
    return result;
  }

  shutdown(): void | Promise<void> {
    return this.inner.shutdown?.();
  }
}

async function main(): Promise<void> {
  const kinesis = createKinesisClient(options.kinesisEndpoint);
  const dynamo = createDynamoDBClient(options.dynamodbEndpoint);
  const postgres = new PostgresEmitter({ connectionString: options.connectionString, table: options.table, columns: ['id', 'name'] });
  const pipeline = createPipeline({
    streamName: options.streamName,
    transformer: new JsonTransformer(),
    emitter: new LingeringEmitter(new MappingEmitter<string, PostgresRow>(postgres, (json) => JSON.parse(json) as PostgresRow)),
    buffer: { maxRecords: options.maxRecords, maxAgeMs: 500 },
    retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200 },
  });
  pipeline.on('checkpointed', ({ shardId, sequenceNumber, subSequenceNumber }) => void report({ type: 'checkpointed', shardId, position: { sequenceNumber, subSequenceNumber } }).catch(() => undefined));
  let worker: Worker;
  try {
    worker = new Worker({
      streamName: options.streamName,
      applicationName: options.applicationName,
      workerId: options.workerId,
      kinesisClient: kinesis,
      dynamoClient: dynamo,
      initialPosition: 'TRIM_HORIZON',
      failoverTimeMs: options.failoverTimeMs,
      idleTimeBetweenReadsMs: 200,
      processorFactory: pipeline,
    });
    await worker.start();
  } catch (error) {
    await report({ type: 'startFailed', error: String((error as Error)?.stack ?? error) }).catch(() => undefined);
    process.exit(1);
  }
  await report({ type: 'started' });
}

// An orphan must not keep consuming (and holding leases) after the test is gone.
process.on('disconnect', () => process.exit(2));
void main();
