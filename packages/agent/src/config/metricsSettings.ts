import { InvalidArgumentError, requireBoolean, requireInteger, requireString } from '@kinesis-toolkit/core';
import { GENERAL_DEFAULTS } from './agentKeys';

/** The metrics settings of an agent.json (`cloudwatch.*`, `log.emitMetrics`), resolved. */
export interface AgentMetricsSettings {
  /** `cloudwatch.emitMetrics`: PutMetricData to CloudWatch. */
  readonly cloudWatch: boolean;
  /** agent.json set `cloudwatch.emitMetrics` itself (false: the Java agent's default, true, applies). */
  readonly cloudWatchExplicit: boolean;
  /** `cloudwatch.endpoint`, as a URL; undefined: the SDK's (or `AWS_ENDPOINT_URL_CLOUDWATCH`). */
  readonly endpoint: string | undefined;
  /** The region of a `monitoring.REGION.amazonaws.com` endpoint, else the Kinesis region. */
  readonly region: string | undefined;
  /** `cloudwatch.metricsBufferTimeMillis`: the interval each PutMetricData batch covers. */
  readonly intervalMs: number;
  /** `cloudwatch.metricsQueueSize`: most datums waiting to be sent; past it new ones are dropped (counted). */
  readonly queueSize: number;
  /** `cloudwatch.namespace`. */
  readonly namespace: string;
  /** `log.emitMetrics`: each interval's metrics logged at debug, as the Java agent's LogMetricsFactory does. */
  readonly log: boolean;
  /** `cloudwatch.tagInstance`: every metric also carries the dimension `InstanceId` (the EC2 instance id, else the host name). */
  readonly tagInstance: boolean;
}

/** Reads the metrics keys of agent.json. @throws InvalidArgumentError naming the key. */
export function resolveMetricsSettings(
  top: Record<string, unknown>,
  endpoint: (key: string) => string | undefined,
  regionOf: (endpoint: string | undefined) => string | undefined,
  kinesisRegion: string | undefined,
): AgentMetricsSettings {
  const d = GENERAL_DEFAULTS;
  const cloudWatchEndpoint = endpoint('cloudwatch.endpoint');
  const [intervalMin, intervalMax] = d['cloudwatch.metricsBufferTimeMillisRange'];
  const [queueMin, queueMax] = d['cloudwatch.metricsQueueSizeRange'];
  const namespace = requireString('cloudwatch.namespace', top['cloudwatch.namespace'] ?? d['cloudwatch.namespace'], { minLength: 1, maxLength: 255 });
  if (namespace.startsWith('AWS/')) throw new InvalidArgumentError('cloudwatch.namespace', 'a namespace not starting with "AWS/" (reserved for AWS services)', namespace);
  return Object.freeze({
    cloudWatch: requireBoolean('cloudwatch.emitMetrics', top['cloudwatch.emitMetrics'] ?? d['cloudwatch.emitMetrics']),
    cloudWatchExplicit: top['cloudwatch.emitMetrics'] !== undefined,
    endpoint: cloudWatchEndpoint,
    region: regionOf(cloudWatchEndpoint) ?? kinesisRegion,
    intervalMs: requireInteger('cloudwatch.metricsBufferTimeMillis', top['cloudwatch.metricsBufferTimeMillis'] ?? d['cloudwatch.metricsBufferTimeMillis'], intervalMin, intervalMax),
    queueSize: requireInteger('cloudwatch.metricsQueueSize', top['cloudwatch.metricsQueueSize'] ?? d['cloudwatch.metricsQueueSize'], queueMin, queueMax),
    namespace,
    log: requireBoolean('log.emitMetrics', top['log.emitMetrics'] ?? d['log.emitMetrics']),
    tagInstance: requireBoolean('cloudwatch.tagInstance', top['cloudwatch.tagInstance'] ?? d['cloudwatch.tagInstance']),
  });
}
