import { DescribeStreamConsumerCommand, RegisterStreamConsumerCommand } from '@aws-sdk/client-kinesis';
import { awsErrorCodeOf, sleep } from '@kinesis-toolkit/core';
import type { KinesisApi } from './KinesisApi';

const ACTIVE_POLL_MS = 500;
/** How long a newly registered consumer may take to become ACTIVE (AWS: usually seconds). */
const ACTIVE_TIMEOUT_MS = 120_000;

/**
 * Registers the application's enhanced fan-out consumer (or finds the one registered by
 * another worker) and waits until it is ACTIVE; returns its ARN. Every call has the worker's
 * deadline and control-plane retries; the ACTIVE wait is bounded too.
 * @throws AwsRequestError when a call fails for good; Error when the consumer never becomes ACTIVE
 */
export async function registerFanOutConsumer(api: KinesisApi, streamARN: string, consumerName: string, signal?: AbortSignal): Promise<string> {
  const { clock } = api.settings;
  let consumerARN: string | undefined;
  try {
    const out = await api.send(new RegisterStreamConsumerCommand({ StreamARN: streamARN, ConsumerName: consumerName }), { signal });
    consumerARN = out.Consumer?.ConsumerARN;
  } catch (error) {
    // Registered already (by another worker of the application, or an earlier run): reuse it.
    if (awsErrorCodeOf(error) !== 'ResourceInUseException') throw error;
  }
  const started = clock.now();
  for (;;) {
    const command = new DescribeStreamConsumerCommand(consumerARN ? { ConsumerARN: consumerARN } : { StreamARN: streamARN, ConsumerName: consumerName });
    const description = (await api.send(command, { signal })).ConsumerDescription;
    consumerARN ??= description?.ConsumerARN;
    if (description?.ConsumerStatus === 'ACTIVE' && consumerARN !== undefined) return consumerARN;
    if (clock.now() - started > ACTIVE_TIMEOUT_MS) throw new Error(`consumer ${consumerName} did not become ACTIVE within ${ACTIVE_TIMEOUT_MS} ms`);
    await sleep(ACTIVE_POLL_MS, { clock, signal });
  }
}
