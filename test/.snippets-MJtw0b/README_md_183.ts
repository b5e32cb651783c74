import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import { Worker } from '@kinesis-toolkit/kcl';
import { createPipeline, JsonTransformer, S3Emitter, S3FailureSink } from '@kinesis-toolkit/connector';

export function startOrdersArchive(
  streamName: string,
  bucket: string,
  clients: { kinesisClient?: KinesisClient; dynamoClient?: DynamoDBClient; s3Client?: S3Client } = {},
) {
  const pipeline = createPipeline({
    streamName,
    transformer: new JsonTransformer(),                // data → parsed JSON → one JSON text per item
    buffer: { maxRecords: 500, maxAgeMs: 1000 },       // flush on 500 items or after 1 s, whichever first
    emitter: new S3Emitter({ client: clients.s3Client, bucket, prefix: 'orders/!{timestamp:yyyy/MM/dd}/', recordDelimiter: '\n' }),
    failureSink: new S3FailureSink({ client: clients.s3Client, bucket }),   // Firehose's error format
  });
  // Checkpoints move only past records that were written to S3 or to the failure sink.
  const worker = new Worker({
    streamName,
    applicationName: `${streamName}-archive`,
    initialPosition: 'TRIM_HORIZON',
    processorFactory: pipeline,
    kinesisClient: clients.kinesisClient,
    dynamoClient: clients.dynamoClient,
  });
  return { worker, pipeline };   // await worker.start(); … await worker.shutdown(); await pipeline.shutdown();
}
export {};
