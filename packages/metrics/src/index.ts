/**
 * @kinesis-toolkit/metrics — metric sinks that need an AWS client, kept out of core: the CloudWatch
 * `PutMetricData` sink of core's metrics layer.
 * @packageDocumentation
 */
export { CloudWatchMetricsSink } from './cloudwatch/CloudWatchMetricsSink';
export { CLOUDWATCH_METRICS_SINK_DEFAULTS, resolveCloudWatchMetricsSinkOptions } from './cloudwatch/CloudWatchMetricsSinkOptions';
export type { CloudWatchMetricsSinkOptions, ResolvedCloudWatchMetricsSinkOptions } from './cloudwatch/CloudWatchMetricsSinkOptions';
export { toMetricData } from './cloudwatch/toMetricData';
export type { NamespacedDatum } from './cloudwatch/toMetricData';
