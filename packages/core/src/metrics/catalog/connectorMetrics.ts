import { defineMetric, type MetricDefinition } from '../MetricDefinition';

/** The connector's CloudWatch namespace default. */
export const CONNECTOR_NAMESPACE = 'KinesisConnector';

/** The connector's OpenTelemetry instrument prefix. */
export const CONNECTOR_OTEL_PREFIX = 'kinesis_toolkit.connector.';

const connector = (name: string, unit: MetricDefinition['unit'], level: MetricDefinition['level'], kind: MetricDefinition['kind'], description: string): MetricDefinition =>
  defineMetric(CONNECTOR_OTEL_PREFIX, name, unit, level, kind, description);

/** A connector pipeline's metrics, per shard (dimension `ShardId`). */
export const CONNECTOR_METRICS = Object.freeze({
  RecordsEmitted: connector('RecordsEmitted', 'Count', 'SUMMARY', 'counter', 'Items the emitter wrote (in the end, retries included).'),
  BytesEmitted: connector('BytesEmitted', 'Bytes', 'DETAILED', 'counter', 'Bytes the buffer counted for the batches written.'),
  EmitFailures: connector('EmitFailures', 'Count', 'SUMMARY', 'counter', 'Items an emit attempt left undone (retried, or refused for good).'),
  RecordsDeadLettered: connector('RecordsDeadLettered', 'Count', 'SUMMARY', 'counter', 'Records sent to the failure sink.'),
  BufferAge: connector('BufferAge', 'Milliseconds', 'DETAILED', 'histogram', "Age of a buffer's oldest record when it was flushed."),
  CheckpointLag: connector('CheckpointLag', 'Milliseconds', 'SUMMARY', 'histogram', "From a batch's first record entering the buffer to the checkpoint that covers it."),
} satisfies Record<string, MetricDefinition>);

/** A connector metric name. */
export type ConnectorMetricName = keyof typeof CONNECTOR_METRICS;
