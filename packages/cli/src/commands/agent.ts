import { DescribeDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { resolve } from 'node:path';
import { AgentError, CheckpointFileError, KinesisAgent, createAgentClients, readAgentJson, type AgentJson, type AgentSettings } from '@kinesis-toolkit/agent';
import { SYSTEM_CLOCK, requireUrl, type AwsClientLike } from '@kinesis-toolkit/core';
import { awsCall } from '../awsCall';
import { explainAwsError } from '../awsErrors';
import { LOCAL_CREDENTIALS, isLocal, resolveAwsSettings } from '../awsClients';
import { CliError } from '../CliError';
import type { Command, CommandContext } from '../CommandContext';
import { LOG_FLAGS, LOG_FLAGS_USAGE, cliLogger, logSettingsFromFlags } from '../logging/cliLogger';
import { METRICS_FLAGS, METRICS_FLAGS_USAGE, metricsSettingsFromFlags, startCliMetrics } from '../metrics/cliMetrics';
import { parseFlags, stringFlag } from '../parseFlags';

const FLAGS = {
  config: { type: 'string' },
  region: { type: 'string' },
  'kinesis-endpoint': { type: 'string' },
  'firehose-endpoint': { type: 'string' },
  once: { type: 'boolean' },
  ...METRICS_FLAGS,
  ...LOG_FLAGS,
} as const;

const USAGE = `Usage: kinesis-toolkit agent --config agent.json [flags]

Runs an existing Kinesis Agent configuration as is: every flow of agent.json at once, each
tailing its files (rotation, checkpoints) into a Kinesis stream (kinesisStream, through the KPL)
or a Firehose delivery stream (deliveryStream, PutRecordBatch), with the agent's
dataProcessingOptions, defaults and ranges. Unknown keys are errors; keys that have no effect
here are listed at --log-level info. SIGTERM / Ctrl-C: stop reading, send what was read (up to
shutdownTimeoutMillis), write the checkpoints, exit.

Flags:
  --config FILE              the agent.json (required; the Java agent's is /etc/aws-kinesis/agent.json)
  --region R                 region when agent.json names none (else AWS_REGION)
  --kinesis-endpoint URL     Kinesis endpoint when agent.json has no "kinesis.endpoint"
  --firehose-endpoint URL    Firehose endpoint when agent.json has no "firehose.endpoint"
  --once                     exit once every file is read and acknowledged

The agent's metrics (namespace cloudwatch.namespace, dimension Destination: BytesSent,
RecordSendAttempts, RecordSendErrors, ServiceErrors) go where agent.json says: CloudWatch every
cloudwatch.metricsBufferTimeMillis (cloudwatch.emitMetrics, default true; off when the
destinations are the local stack and agent.json neither sets it nor names a cloudwatch.endpoint)
and/or the debug log (log.emitMetrics). --metrics replaces those sinks.

${METRICS_FLAGS_USAGE}

${LOG_FLAGS_USAGE}

Exit codes: 0 when every record was sent, 1 when a record failed or a destination is missing,
2 for a bad agent.json or flag.
`;

/** `kinesis-toolkit agent --config agent.json`: the Kinesis Agent, from its own configuration. */
export const agentCommand: Command = {
  name: 'agent',
  summary: 'run an existing Kinesis Agent agent.json: files → Kinesis streams and Firehose delivery streams',
  usage: USAGE,
  run: runAgent,
};

async function runAgent(context: CommandContext): Promise<number> {
  const { values } = parseFlags('agent', context.argv, FLAGS);
  const log = logSettingsFromFlags('agent', values);
  const metricsFlags = metricsSettingsFromFlags('agent', values);
  const configPath = stringFlag(values, 'config');
  if (configPath === undefined) throw new CliError('missing --config agent.json. Run `kinesis-toolkit agent --help` for the flags.');
  let config: AgentJson;
  try {
    config = await readAgentJson(resolve(context.cwd, configPath), context.cwd);
  } catch (error) {
    if (error instanceof AgentError) throw new CliError(error.message);
    throw error;
  }
  const firehoseFlag = stringFlag(values, 'firehose-endpoint');
  const aws = resolveAwsSettings({ region: stringFlag(values, 'region'), 'kinesis-endpoint': config.settings.kinesisEndpoint ?? stringFlag(values, 'kinesis-endpoint') }, context.env);
  let settings: AgentSettings = {
    ...config.settings,
    kinesisEndpoint: aws.kinesisEndpoint,
    firehoseEndpoint: config.settings.firehoseEndpoint ?? (firehoseFlag === undefined ? undefined : usageUrl('--firehose-endpoint', firehoseFlag)),
  };
  const logger = cliLogger('agent', log, context.stderr);
  const hasEnvCredentials = context.env.AWS_ACCESS_KEY_ID !== undefined || context.env.AWS_PROFILE !== undefined;
  const firehoseLocal = settings.firehoseEndpoint !== undefined && isLocal(settings.firehoseEndpoint);
  const localCredentials = aws.localCredentials ?? (firehoseLocal && !hasEnvCredentials ? LOCAL_CREDENTIALS : undefined);
  const region = aws.region ?? (firehoseLocal ? 'us-east-1' : undefined);
  if (localCredentials !== undefined && settings.metrics.cloudWatch && !settings.metrics.cloudWatchExplicit && settings.metrics.endpoint === undefined) {
    // The Java agent's default (emit) against the local stack would send fake credentials to the real CloudWatch.
    settings = { ...settings, metrics: { ...settings.metrics, cloudWatch: false } };
    logger.info({}, 'CloudWatch metrics are off: the destinations are local and agent.json sets neither cloudwatch.emitMetrics nor cloudwatch.endpoint');
  }
  const metrics = await startCliMetrics(metricsFlags, { cwd: context.cwd, stdout: context.stdout, region: settings.metrics.region ?? region, env: context.env, logger });
  const clients = createAgentClients(settings, { region, credentials: localCredentials });
  try {
    await checkDestinations(config, settings, region, clients, context.signal);
    const report = (message: string) => context.stderr.write(`kinesis-toolkit agent: ${message}\n`);
    let summaries;
    try {
      summaries = await new KinesisAgent(
        { ...config, settings },
        { clients, signal: context.signal, report, logger, clock: SYSTEM_CLOCK, exitWhenDone: values.once === true, ...(metrics.recorder !== undefined ? { metrics: metrics.recorder } : {}) },
      ).run();
    } catch (error) {
      if (error instanceof CheckpointFileError || error instanceof AgentError) throw new CliError(error.message, 1);
      throw error;
    }
    for (const summary of summaries) {
      const truncated = summary.truncated > 0 ? `, ${summary.truncated} truncated` : '';
      report(`${summary.flowId}: ${summary.sent} records sent to ${summary.destination}, ${summary.failed} failed${truncated}`);
    }
    return summaries.some((summary) => summary.failed > 0) ? 1 : 0;
  } finally {
    await metrics.close();
    clients.destroy();
  }
}

function usageUrl(name: string, value: string): string {
  try {
    return requireUrl(name, value);
  } catch (error) {
    throw new CliError(`${(error as Error).message}.`);
  }
}

/** Every stream and delivery stream the flows name must exist before anything is read. */
async function checkDestinations(config: AgentJson, settings: AgentSettings, region: string | undefined, clients: ReturnType<typeof createAgentClients>, signal: AbortSignal): Promise<void> {
  const checked = new Set<string>();
  for (const flow of config.flows) {
    const { streamName, deliveryStreamName } = flow.options;
    const key = streamName !== undefined ? `k:${streamName}` : `f:${deliveryStreamName}`;
    if (checked.has(key)) continue;
    checked.add(key);
    try {
      if (streamName !== undefined) await awsCall(clients.kinesis as AwsClientLike, new DescribeStreamSummaryCommand({ StreamName: streamName }), 'Kinesis', { signal });
      else await awsCall(clients.firehose as AwsClientLike, new DescribeDeliveryStreamCommand({ DeliveryStreamName: deliveryStreamName }), 'Firehose', { signal });
    } catch (error) {
      throw explainAwsError(error, {
        service: streamName !== undefined ? 'Kinesis' : 'Firehose',
        endpointFlag: streamName !== undefined ? 'kinesis-endpoint' : 'firehose-endpoint',
        endpoint: streamName !== undefined ? settings.kinesisEndpoint : settings.firehoseEndpoint,
        region: streamName !== undefined ? (settings.kinesisRegion ?? region) : (settings.firehoseRegion ?? region),
        resource: streamName !== undefined ? `stream ${JSON.stringify(streamName)} (${flow.id})` : `delivery stream ${JSON.stringify(deliveryStreamName)} (${flow.id})`,
        whenMissing: 'create it',
      });
    }
  }
}
