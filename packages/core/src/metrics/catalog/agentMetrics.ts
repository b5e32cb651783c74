import { defineMetric, type MetricDefinition } from '../MetricDefinition';

/** The Kinesis Agent's CloudWatch namespace default. */
export const AGENT_NAMESPACE = 'AWSKinesisAgent';

/** The agent's OpenTelemetry instrument prefix. */
export const AGENT_OTEL_PREFIX = 'aws.kinesis.agent.';

const agent = (name: string, unit: MetricDefinition['unit'], kind: MetricDefinition['kind'], description: string): MetricDefinition =>
  defineMetric(AGENT_OTEL_PREFIX, name, unit, 'SUMMARY', kind, description);

/**
 * The Kinesis Agent's metrics, per destination (dimension `Destination`: `KinesisStream:<name>` or
 * `DeliveryStream:<name>`), as the Java agent's senders record them per send call.
 */
export const AGENT_METRICS = Object.freeze({
  BytesSent: agent('BytesSent', 'Bytes', 'counter', 'Bytes of the records the destination accepted.'),
  RecordSendAttempts: agent('RecordSendAttempts', 'Count', 'counter', 'Records sent in a PutRecords or PutRecordBatch call, first tries and retries.'),
  RecordSendErrors: agent('RecordSendErrors', 'Count', 'counter', 'Records a call answered with a failure, retries included.'),
  ServiceErrors: agent('ServiceErrors', 'Count', 'counter', 'Calls that failed as a whole (0 per call that was answered).'),
} satisfies Record<string, MetricDefinition>);

/** An agent metric name. */
export type AgentMetricName = keyof typeof AGENT_METRICS;
