import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { Worker, type RecordProcessor } from '@kinesis-toolkit/kcl';

export function startOrdersConsumer(
  streamName: string,
  onOrder: (order: { orderId: number }) => void,
  clients: { kinesisClient?: KinesisClient; dynamoClient?: DynamoDBClient } = {},
) {
  const processor = (): RecordProcessor => ({
    async processRecords({ records, checkpointer }) {
      for (const record of records) onOrder(JSON.parse(record.data.toString('utf8')));
      await checkpointer.checkpoint();           // everything handed over so far is done
    },
    async shardEnded({ checkpointer }) {
      await checkpointer.checkpoint();           // SHARD_END: the children may start
    },
  });
  const worker = new Worker({
    streamName,
    applicationName: `${streamName}-consumer`,  // the DynamoDB lease table
    initialPosition: 'TRIM_HORIZON',
    processorFactory: processor,
    ...clients,
  });
  return worker;   // await worker.start(); on SIGTERM: await worker.shutdown() — checkpoints, releases leases
}
export {};
