/**
 * The README's consumer quick start. `test/examples.integ.test.ts` runs it against the local
 * stack, and checks that the README shows the code between the `readme` markers verbatim.
 */
// #region readme
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { Worker } from '@kinesis-toolkit/kcl';

export function startOrdersConsumer(
  streamName: string,
  onOrder: (order: { orderId: number }) => void,
  clients: { kinesisClient?: KinesisClient; dynamoClient?: DynamoDBClient } = {},
) {
  const worker = new Worker({
    streamName,
    applicationName: `${streamName}-consumer`,  // the DynamoDB lease table
    initialPosition: 'TRIM_HORIZON',
    // Resolves: checkpointed. Throws: retried. SHARD_END after a split or merge: written for you.
    eachBatch: async ({ records }) => {
      for (const record of records) onOrder(JSON.parse(record.data.toString('utf8')));
    },
    ...clients,
  });
  return worker;   // await worker.start(); on SIGTERM: await worker.shutdown() — checkpoints, releases leases
}
// #endregion readme
