import { Worker, type Checkpointer, type ProcessRecordsInput, type RecordProcessor } from '@kinesis-toolkit/kcl';

class Printer implements RecordProcessor {
  async processRecords({ records, checkpointer }: ProcessRecordsInput) {
    for (const r of records) console.log(r.partitionKey, r.data.toString(), r.sequenceNumber, r.subSequenceNumber);
    await checkpointer.checkpoint();                 // everything delivered so far is done
  }
  async shardEnded({ checkpointer }: { checkpointer: Checkpointer }) {
    await checkpointer.checkpoint();                 // required: children start only after this
  }
  async shutdownRequested({ checkpointer }: { checkpointer: Checkpointer }) {
    await checkpointer.checkpoint();
  }
}

const worker = new Worker({
  streamName: 'orders',
  applicationName: 'orders-printer',                 // the lease table's name, as in the KCL
  processorFactory: () => new Printer(),
  initialPosition: 'TRIM_HORIZON',                  // default LATEST, as the KCL
});
await worker.start();
process.on('SIGTERM', () => worker.shutdown());
export {};
