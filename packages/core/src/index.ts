/**
 * @kinesis-toolkit/core — what every kinesis-toolkit package shares, once: the clock, the logger,
 * the error family, the one AWS error classifier, the one retry policy, deadlines on every AWS
 * call, option validation, sequence-number order, hash keys, ListShards paging, shard lineage and
 * the metrics layer. No AWS clients; one runtime dependency, `@opentelemetry/api`.
 * @packageDocumentation
 */
// time
export { SYSTEM_CLOCK, epochMsOf } from './time/Clock';
export type { Clock, TimerHandle } from './time/Clock';
export { MANUAL_CLOCK_EPOCH_ORIGIN_MS, ManualClock } from './time/ManualClock';
export { sleep } from './time/sleep';
export type { SleepOptions } from './time/sleep';
// logging
export { LOG_LEVELS, NOOP_LOGGER } from './logging/Logger';
export type { LogContext, LogLevel, Logger } from './logging/Logger';
export { createLogger } from './logging/createLogger';
export type { CreateLoggerOptions } from './logging/createLogger';
export { REDACTED, redact } from './logging/redact';
// errors
export { KinesisToolkitError, brandToolkitError, isToolkitError } from './errors/KinesisToolkitError';
export type { ErrorContext, KinesisToolkitErrorOptions, ToolkitErrorFields } from './errors/KinesisToolkitError';
export { InvalidArgumentError, describeValue } from './errors/InvalidArgumentError';
export { DeadlineExceededError } from './errors/DeadlineExceededError';
export { AbortedError } from './errors/AbortedError';
// AWS calls
export { classifyAwsError, classifyAwsErrorCode, awsErrorCodeOf } from './aws/classifyAwsError';
export type { AwsErrorClassification, AwsErrorKind } from './aws/classifyAwsError';
export { EXPIRED_CREDENTIALS_CODES, FATAL_CODES, NETWORK_ERROR_CODES, THROTTLED_CODES, TRANSIENT_CODES } from './aws/awsErrorCodes';
export { AwsRequestError } from './aws/AwsRequestError';
export type { AwsRequestDescription } from './aws/AwsRequestError';
export { withDeadline } from './aws/withDeadline';
export type { DeadlineOptions } from './aws/withDeadline';
export { callAws } from './aws/callAws';
export type { AwsCallOptions, AwsClientLike, CommandOutputOf } from './aws/callAws';
export { SDK_CLIENT_DEFAULTS } from './aws/sdkClientDefaults';
// retry
export { RETRY_DEFAULTS, RetryPolicy, resolveRandom, resolveRetryOptions } from './retry/RetryPolicy';
export type { ResolvedRetryOptions, RetryEvent, RetryOptions, RetryRunOptions } from './retry/RetryPolicy';
// validation
export {
  rejectUnknownOptions,
  requireAbortSignal,
  requireArray,
  requireAwsClient,
  requireBoolean,
  requireClock,
  givenOptions,
  requireLogger,
  requireFunction,
  requireInteger,
  requireMethods,
  requireNumber,
  requireObject,
  requireOneOf,
  requirePositiveNumber,
  requireString,
  requireUrl,
  withoutUndefined,
} from './validation/validators';
export type { StringRule } from './validation/validators';
// Kinesis
export {
  SEQUENCE_NUMBER_PATTERN,
  SHARD_END,
  STARTING_SENTINELS,
  compareExtendedSequenceNumbers,
  compareSequenceNumbers,
  isSequenceNumber,
  requireSequenceNumber,
} from './kinesis/sequenceNumber';
export type { ExtendedSequenceNumber } from './kinesis/sequenceNumber';
export { HASH_KEY_PATTERN, MAX_HASH_KEY, isHashKey, parseHashKey } from './kinesis/hashKey';
export { listAllShards } from './kinesis/listAllShards';
export type { ListAllShardsOptions, ListShardsPage, ListShardsPageInput } from './kinesis/listAllShards';
export { ShardLineage } from './kinesis/ShardLineage';
export type { SdkShardLink, ShardLink } from './kinesis/ShardLineage';
// rate limiting
export { TokenBucket } from './ratelimit/TokenBucket';
// metrics
export { METRICS_GRANULARITIES, METRICS_LEVELS, isLevelEnabled } from './metrics/MetricsLevel';
export type { MetricsGranularity, MetricsLevel } from './metrics/MetricsLevel';
export { OTEL_ATTRIBUTE_NAMES, OTEL_UNITS, defineMetric, otelInstrumentName } from './metrics/MetricDefinition';
export type { MetricDefinition, MetricKind, MetricUnit } from './metrics/MetricDefinition';
export type { MetricDatum, MetricDimension, MetricsSnapshot } from './metrics/MetricsSnapshot';
export { MAX_VALUES_PER_INTERVAL, MetricSeries } from './metrics/MetricSeries';
export type { MetricObserver } from './metrics/MetricSeries';
export { ALL_DIMENSIONS, MetricsNamespace } from './metrics/MetricsNamespace';
export type { DimensionSetsPolicy } from './metrics/MetricsNamespace';
export { METRICS_RECORDER_DEFAULTS, MetricsRecorder } from './metrics/MetricsRecorder';
export type { MetricsRecorderEvents, MetricsRecorderOptions, NamespaceOptions } from './metrics/MetricsRecorder';
export type { MetricsSink } from './metrics/sinks/MetricsSink';
export { EmfSink } from './metrics/sinks/EmfSink';
export type { EmfSinkOptions } from './metrics/sinks/EmfSink';
export { OpenTelemetrySink } from './metrics/sinks/OpenTelemetrySink';
export type { OpenTelemetrySinkOptions } from './metrics/sinks/OpenTelemetrySink';
export { EMF_MAX_METRICS_PER_DIRECTIVE, formatEmf } from './metrics/emf/formatEmf';
export { EMF_UNITS, validateEmf } from './metrics/emf/validateEmf';
export type { EmfValidationOptions } from './metrics/emf/validateEmf';
export { parseEmf } from './metrics/emf/parseEmf';
export type { EmfMetric } from './metrics/emf/parseEmf';
export { enabledDimensionSets, kplDimensionSets } from './metrics/catalog/dimensionSets';
export { KPL_METRICS, KPL_NAMESPACE, KPL_OTEL_PREFIX } from './metrics/catalog/producerMetrics';
export type { KplMetricName } from './metrics/catalog/producerMetrics';
export { KCL_APPLICATION_LAG, KCL_DIMENSIONS, KCL_METRICS, KCL_OPERATION_DIMENSIONS, KCL_OTEL_PREFIX } from './metrics/catalog/consumerMetrics';
export type { KclOperation } from './metrics/catalog/consumerMetrics';
export { CONNECTOR_METRICS, CONNECTOR_NAMESPACE, CONNECTOR_OTEL_PREFIX } from './metrics/catalog/connectorMetrics';
export type { ConnectorMetricName } from './metrics/catalog/connectorMetrics';
export { AGENT_METRICS, AGENT_NAMESPACE, AGENT_OTEL_PREFIX } from './metrics/catalog/agentMetrics';
export type { AgentMetricName } from './metrics/catalog/agentMetrics';
