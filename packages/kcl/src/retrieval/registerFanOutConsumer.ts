import {
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  RegisterStreamConsumerCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { ResolvedWorkerOptions } from '../config/WorkerOptions';

const ACTIVE_POLL_MS = 500;
const ACTIVE_TIMEOUT_MS = 120_000;

/**
 * Registers the application's enhanced fan-out consumer (or finds the one registered by
 * another worker) and waits until it is ACTIVE; returns its ARN.
 */
export async function registerFanOutConsumer(kinesis: KinesisClient, config: ResolvedWorkerOptions): Promise<string> {
  const streamARN =
    config.streamARN ??
    (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: config.streamName }))).StreamDescriptionSummary?.StreamARN;
  if (streamARN === undefined) throw new Error(`could not find the ARN of stream ${config.streamName}`);
  let consumerARN: string | undefined;
  try {
    const out = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamARN, ConsumerName: config.consumerName }));
    consumerARN = out.Consumer?.ConsumerARN;
  } catch (error) {
    if ((error as Error)?.name !== 'ResourceInUseException') throw error;
  }
  const started = config.clock.now();
  for (;;) {
    const description = (
      await kinesis.send(
        new DescribeStreamConsumerCommand(consumerARN ? { ConsumerARN: consumerARN } : { StreamARN: streamARN, ConsumerName: config.consumerName }),
      )
    ).ConsumerDescription;
    consumerARN ??= description?.ConsumerARN;
    if (description?.ConsumerStatus === 'ACTIVE' && consumerARN !== undefined) return consumerARN;
    if (config.clock.now() - started > ACTIVE_TIMEOUT_MS) throw new Error(`consumer ${config.consumerName} did not become ACTIVE`);
    await new Promise<void>((resolve) => config.clock.setTimeout(resolve, ACTIVE_POLL_MS));
  }
}
