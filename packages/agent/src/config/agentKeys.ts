/**
 * Every key the Kinesis Agent documents or reads from agent.json (its `AgentConfiguration`,
 * `FileFlow`, `KinesisFileFlow`, `FirehoseFileFlow`), and what this agent does with it:
 *
 * - `supported`: read, with the agent's default and range;
 * - `noEffect`: accepted, because it tunes something this runtime does not have (thread pools,
 *   the Java HTTP client, internal counters); a notice says so once at start;
 * - `unsupported`: a known key whose meaning we cannot honour; it is an error that says so.
 *
 * Any other key is an error that names it (and the closest known key).
 */
export type KeyHandling =
  | { readonly kind: 'supported' }
  | { readonly kind: 'noEffect'; readonly why: string }
  | { readonly kind: 'unsupported'; readonly why: string };

const supported: KeyHandling = { kind: 'supported' };
const noEffect = (why: string): KeyHandling => ({ kind: 'noEffect', why });
const unsupported = (why: string): KeyHandling => ({ kind: 'unsupported', why });

const THREADS = 'Node sends from one event loop: there are no sending threads to size';
const HTTP_CLIENT = 'the AWS SDK v3 client manages its connections; every request has its own deadline instead';
const INTERNAL_METRICS = 'the Java agent\u2019s internal counters (parser, tailer, publish queues) are not kept; the exit summary and the agent metrics report the counts';

/** The top-level keys of agent.json. */
export const GENERAL_KEYS: Readonly<Record<string, KeyHandling>> = Object.freeze({
  flows: supported,
  checkpointFile: supported,
  shutdownTimeoutMillis: supported,
  'kinesis.endpoint': supported,
  'kinesis.region': supported,
  'firehose.endpoint': supported,
  'sts.endpoint': supported,
  assumeRoleARN: supported,
  assumeRoleExternalId: supported,
  awsAccessKeyId: supported,
  awsSecretAccessKey: supported,
  checkpointTimeToLiveDays: noEffect('checkpoints of files that are gone are dropped at the first poll after a restart'),
  'cloudwatch.emitMetrics': supported,
  'cloudwatch.endpoint': supported,
  'cloudwatch.metricsBufferTimeMillis': supported,
  'cloudwatch.namespace': supported,
  'cloudwatch.metricsQueueSize': supported,
  'cloudwatch.tagInstance': supported,
  'log.emitMetrics': supported,
  'log.emitInternalMetrics': noEffect(INTERNAL_METRICS),
  'log.statusReportingPeriodSeconds': noEffect('no periodic status line; the exit summary reports each flow'),
  maxSendingThreads: noEffect(THREADS),
  maxSendingThreadsPerCore: noEffect(THREADS),
  sendingThreadsKeepAliveMillis: noEffect(THREADS),
  sendingThreadsMaxQueueSize: noEffect(THREADS),
  maxConnections: noEffect(HTTP_CLIENT),
  connectionTimeoutMillis: noEffect(HTTP_CLIENT),
  connectionTTLMillis: noEffect(HTTP_CLIENT),
  socketTimeoutMillis: noEffect(HTTP_CLIENT),
  useTcpKeepAlive: noEffect(HTTP_CLIENT),
  useHttpGzip: noEffect(HTTP_CLIENT),
  userAgent: noEffect('the AWS SDK sets the user agent'),
  userAgentOverride: noEffect('the AWS SDK sets the user agent'),
  'userDefinedCredentialsProvider.classname': unsupported('a Java credentials provider class cannot run here; use the AWS SDK credential chain (environment, profile, instance role) or assumeRoleARN'),
  'userDefinedCredentialsProvider.location': unsupported('a Java credentials provider jar cannot run here; use the AWS SDK credential chain or assumeRoleARN'),
});

const QUEUES = 'backpressure comes from the producer (records in flight), not from Java publish queues';

/** The keys of one entry of `flows`. */
export const FLOW_KEYS_ALL: Readonly<Record<string, KeyHandling>> = Object.freeze({
  filePattern: supported,
  kinesisStream: supported,
  deliveryStream: supported,
  partitionKeyOption: supported,
  initialPosition: supported,
  maxBufferAgeMillis: supported,
  maxBufferSizeBytes: supported,
  maxBufferSizeRecords: supported,
  minTimeBetweenFilePollsMillis: supported,
  multiLineStartPattern: supported,
  fileFooterPattern: supported,
  skipHeaderLines: supported,
  aggregatedRecordSizeBytes: supported,
  truncatedRecordTerminator: supported,
  dataProcessingOptions: supported,
  retryInitialBackoffMillis: supported,
  retryMaxBackoffMillis: supported,
  maxTimeBetweenFileTrackerRefreshMillis: noEffect('the files are listed again at every poll'),
  publishQueueCapacity: noEffect(QUEUES),
  waitOnFullPublishQueueMillis: noEffect(QUEUES),
  waitOnEmptyPublishQueueMillis: noEffect(QUEUES),
  waitOnFullRetryQueueMillis: noEffect(QUEUES),
  'log.emitInternalMetrics': noEffect(INTERNAL_METRICS),
});

/** The agent's defaults and ranges of the flow keys it validates (FileFlow, KinesisFileFlow, FirehoseFileFlow). */
export const FLOW_DEFAULTS = Object.freeze({
  initialPosition: 'END_OF_FILE',
  partitionKeyOption: 'RANDOM',
  maxBufferAgeMillis: 60_000,
  maxBufferAgeMillisRange: [1_000, 900_000] as const,
  maxBufferSizeRecords: 500,
  maxBufferSizeRecordsRange: [1, 500] as const,
  /** Kinesis: 5 MiB (PutRecords); Firehose: 4 MiB (PutRecordBatch). */
  kinesisMaxBufferSizeBytes: 5 * 1024 * 1024,
  firehoseMaxBufferSizeBytes: 4 * 1024 * 1024,
  minTimeBetweenFilePollsMillis: 100,
  skipHeaderLines: 0,
  /** Firehose flows; 0: no aggregation. At most Firehose's record limit (1,024,000). */
  aggregatedRecordSizeBytes: 0,
  aggregatedRecordSizeBytesRange: [0, 1_024_000] as const,
  truncatedRecordTerminator: '\n',
  retryInitialBackoffMillis: 100,
  retryMaxBackoffMillis: 10_000,
});

/** The agent's general defaults (its `AgentConfiguration`) and the ranges this agent checks. */
export const GENERAL_DEFAULTS = Object.freeze({
  checkpointFile: '/var/run/aws-kinesis-agent/checkpoints',
  shutdownTimeoutMillis: 10_000,
  'cloudwatch.emitMetrics': true,
  'cloudwatch.metricsBufferTimeMillis': 30_000,
  'cloudwatch.metricsBufferTimeMillisRange': [1_000, 3_600_000] as const,
  'cloudwatch.metricsQueueSize': 10_000,
  'cloudwatch.metricsQueueSizeRange': [1, 10_000_000] as const,
  'cloudwatch.namespace': 'AWSKinesisAgent',
  'cloudwatch.tagInstance': false,
  'log.emitMetrics': false,
});
