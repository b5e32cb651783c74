import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  type StreamDescriptionSummary,
} from '@aws-sdk/client-kinesis';
import { requireAwsClient, requireInteger, requireString } from '@kinesis-toolkit/core';
import { waitFor, type WaitForOptions } from './waitFor';

/**
 * Creates a provisioned stream of `shardCount` shards and waits until it is `ACTIVE`, polling
 * DescribeStreamSummary (bounded by `wait.timeoutMs`). Works against kinesalite, kinesis-mock
 * and real Kinesis.
 *
 * @returns the stream's summary once active (its `StreamARN` is what enhanced fan-out needs).
 * @throws WaitTimeoutError when the stream is not active in time; the SDK's error when CreateStream fails.
 */
export async function createStream(
  client: KinesisClient,
  streamName: string,
  shardCount = 1,
  wait: WaitForOptions = {},
): Promise<StreamDescriptionSummary> {
  requireAwsClient('client', client);
  requireString('streamName', streamName);
  requireInteger('shardCount', shardCount, 1);
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  return waitFor(
    async () => {
      const { StreamDescriptionSummary: summary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
      return summary?.StreamStatus === 'ACTIVE' ? summary : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 20, description: `stream ${streamName} to become ACTIVE`, ...wait },
  );
}
