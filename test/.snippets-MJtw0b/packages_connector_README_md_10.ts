import { KinesisProducer } from '@kinesis-toolkit/kpl';
import { Worker } from '@kinesis-toolkit/kcl';
import { createPipeline, JsonTransformer, type Emitter, type FailureSink } from '@kinesis-toolkit/connector';

declare function writeSomewhere(items: readonly string[]): Promise<void>;   // your sink
declare const myDeadLetterQueue: FailureSink;                                 // { put(failureRecords) }

// Producer side (any writer works: the pipeline de-aggregates KPL records through the worker).
const producer = new KinesisProducer({ streamName: 'orders' });
await producer.put({ partitionKey: 'order-17', data: Buffer.from(JSON.stringify({ id: 17, total: 9.5 })) });
await producer.close();

// Consumer side: a pipeline is a processorFactory.
const emitter: Emitter<string> = {
  async emit(batch) {
    await writeSomewhere(batch.items);                 // your sink; or an emitter from this package
    return { failed: [] };                              // the items (from batch.items) that were not written
  },
};
const pipeline = createPipeline({
  streamName: 'orders',
  transformer: new JsonTransformer(),                 // record → parsed JSON; item → JSON text
  emitter,
  failureSink: myDeadLetterQueue,                     // { put(failureRecords) }; see "Failure records"
  buffer: { maxRecords: 500, maxBytes: 1024 * 1024, maxAgeMs: 5000 },
});
pipeline.on('flushed', (e) => console.log(`${e.shardId}: ${e.records} written in ${e.durationMs} ms (${e.reason})`));

const worker = new Worker({ streamName: 'orders', applicationName: 'orders-to-sink', processorFactory: pipeline });
await worker.start();
process.on('SIGTERM', async () => {
  await worker.shutdown();                            // every shard flushes and checkpoints
  await pipeline.shutdown();                          // then the emitter is released (emitter.shutdown())
});
export {};
