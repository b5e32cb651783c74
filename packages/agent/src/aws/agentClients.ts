import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SDK_CLIENT_DEFAULTS } from '@kinesis-toolkit/core';
import type { AgentSettings } from '../config/readAgentJson';
import { assumeRoleCredentials } from './AssumeRoleCredentials';

/** The AWS clients the agent's flows send with. */
export interface AgentClients {
  readonly kinesis: KinesisClient;
  readonly firehose: FirehoseClient;
  /** PutMetricData (`cloudwatch.endpoint`), with the same credentials. */
  readonly cloudWatch: CloudWatchClient;
  /** Destroys every client. */
  destroy(): void;
}

/**
 * Builds the clients agent.json describes: endpoints (`kinesis.endpoint`, `firehose.endpoint`,
 * `cloudwatch.endpoint`, `sts.endpoint`), regions, and credentials in the agent's order — `awsAccessKeyId`/
 * `awsSecretAccessKey` first, else the SDK's default chain — wrapped in `assumeRoleARN` when set.
 * Every client has `maxAttempts: 1` (core's retry policy is the only retry layer) and an HTTP/1.1
 * handler. `fallback` fills what agent.json leaves open (the CLI's --region and endpoints).
 */
export function createAgentClients(settings: AgentSettings, fallback: { readonly region?: string | undefined; readonly credentials?: { accessKeyId: string; secretAccessKey: string } | undefined } = {}): AgentClients {
  const base = SDK_CLIENT_DEFAULTS;
  const longLived = settings.credentials ?? fallback.credentials;
  const sts =
    settings.assumeRole === undefined
      ? undefined
      : new STSClient({
          ...base,
          requestHandler: new NodeHttpHandler(),
          ...(fallback.region !== undefined || settings.kinesisRegion !== undefined ? { region: settings.kinesisRegion ?? fallback.region } : {}),
          ...(settings.stsEndpoint !== undefined ? { endpoint: settings.stsEndpoint } : {}),
          ...(longLived !== undefined ? { credentials: longLived } : {}),
        });
  const credentials =
    sts !== undefined && settings.assumeRole !== undefined ? assumeRoleCredentials({ sts, roleArn: settings.assumeRole.roleArn, externalId: settings.assumeRole.externalId }) : longLived;
  const config = (endpoint: string | undefined, region: string | undefined) => ({
    ...base,
    requestHandler: new NodeHttpHandler(),
    ...(region !== undefined ? { region } : fallback.region !== undefined ? { region: fallback.region } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
  });
  const kinesis = new KinesisClient(config(settings.kinesisEndpoint, settings.kinesisRegion));
  const firehose = new FirehoseClient(config(settings.firehoseEndpoint, settings.firehoseRegion));
  const cloudWatch = new CloudWatchClient(config(settings.metrics.endpoint, settings.metrics.region));
  return {
    kinesis,
    firehose,
    cloudWatch,
    destroy: () => {
      kinesis.destroy();
      firehose.destroy();
      cloudWatch.destroy();
      sts?.destroy();
    },
  };
}
