import { defineMetric, type MetricDefinition } from '../MetricDefinition';

/** The KPL's CloudWatch namespace default. */
export const KPL_NAMESPACE = 'KinesisProducerLibrary';

/** The KPL's OpenTelemetry instrument prefix. */
export const KPL_OTEL_PREFIX = 'aws.kinesis.producer.';

const kpl = (name: string, unit: MetricDefinition['unit'], level: MetricDefinition['level'], kind: MetricDefinition['kind'], description: string): MetricDefinition =>
  defineMetric(KPL_OTEL_PREFIX, name, unit, level, kind, description);

/**
 * The KPL's metrics (`metrics_constants` of the Java/C++ KPL): names, units and levels as it
 * publishes them. Dimensions: `StreamName`, then `ShardId` (the predicted shard, or the actual one
 * for a record put), with `ErrorCode` first for `ErrorsByCode`.
 */
export const KPL_METRICS = Object.freeze({
  UserRecordsReceived: kpl('UserRecordsReceived', 'Count', 'DETAILED', 'counter', 'User records the producer took (put() or a stream write that passed validation). Stream level.'),
  UserRecordsPending: kpl('UserRecordsPending', 'Count', 'DETAILED', 'gauge', 'User records buffered or in flight, sampled every 200 ms. Stream level.'),
  UserRecordsPut: kpl('UserRecordsPut', 'Count', 'SUMMARY', 'counter', 'User records put: 1 per record that succeeded, 0 per record that failed (the average is the success rate).'),
  UserRecordsDataPut: kpl('UserRecordsDataPut', 'Bytes', 'DETAILED', 'counter', 'Bytes of data of the user records put.'),
  KinesisRecordsPut: kpl('KinesisRecordsPut', 'Count', 'SUMMARY', 'counter', 'Kinesis records (aggregates or single records) put: 1 per success, 0 per failure.'),
  KinesisRecordsDataPut: kpl('KinesisRecordsDataPut', 'Bytes', 'DETAILED', 'counter', 'Bytes of the Kinesis records put (data plus partition key).'),
  ErrorsByCode: kpl('ErrorsByCode', 'Count', 'SUMMARY', 'counter', 'Errors by AWS error code, with an ErrorCode dimension: once per failed Kinesis record, or per failed PutRecords request.'),
  AllErrors: kpl('AllErrors', 'Count', 'SUMMARY', 'counter', 'The same errors as ErrorsByCode, all codes together (0 per Kinesis record put).'),
  RetriesPerRecord: kpl('RetriesPerRecord', 'Count', 'DETAILED', 'histogram', 'Retries per user record, emitted when the record settles (0 for a first-time success).'),
  UserRecordExpired: kpl('UserRecordExpired', 'Count', 'SUMMARY', 'counter', 'User records that reached recordTtlMs unacknowledged.'),
  BufferingTime: kpl('BufferingTime', 'Milliseconds', 'SUMMARY', 'histogram', 'From a user record arriving to it leaving for PutRecords, per attempt.'),
  RequestTime: kpl('RequestTime', 'Milliseconds', 'DETAILED', 'histogram', 'Time of each PutRecords request. Stream level.'),
  UserRecordsPerKinesisRecord: kpl('UserRecordsPerKinesisRecord', 'Count', 'DETAILED', 'histogram', 'User records packed into each Kinesis record.'),
  KinesisRecordsPerPutRecordsRequest: kpl('KinesisRecordsPerPutRecordsRequest', 'Count', 'DETAILED', 'histogram', 'Kinesis records per PutRecords request. Stream level.'),
  UserRecordsPerPutRecordsRequest: kpl('UserRecordsPerPutRecordsRequest', 'Count', 'DETAILED', 'histogram', 'User records per PutRecords request. Stream level.'),
} satisfies Record<string, MetricDefinition>);

/** A KPL metric name. */
export type KplMetricName = keyof typeof KPL_METRICS;
