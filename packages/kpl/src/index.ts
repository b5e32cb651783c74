/**
 * @kinesis-toolkit/kpl — KinesisProducer, the Kinesis Producer Library for Node.js.
 * @packageDocumentation
 */
export { KinesisProducer } from './KinesisProducer';
export type { ProducerWriteStreamOptions } from './KinesisProducer';
export { PRODUCER_DEFAULTS, resolveProducerOptions } from './config/ProducerOptions';
export type { ProducerOptions, ResolvedProducerOptions, RetryOptions } from './config/ProducerOptions';
export type { PutResult } from './PutResult';
export type { Attempt } from './errors/Attempt';
export { RecordExpiredError } from './errors/RecordExpiredError';
export { PutFailedError } from './errors/PutFailedError';
export { ProducerClosedError } from './errors/ProducerClosedError';
export type { ProducerEvents, ProducerMetric, ProducerMetricName, ShardMapRefreshedEvent } from './events/ProducerEvents';
export type { PutRecordsEntryOutcome, PutRecordsEvent } from './events/PutRecordsEvent';
export { PENDING_SAMPLE_INTERVAL_MS } from './metrics/ProducerMetrics';
// Errors raised at put() for bad input come from the aggregation package's validation.
export { InvalidRecordError, RecordTooLargeError } from '@kinesis-toolkit/aggregation';
// Failures of AWS calls are judged by core's one classifier (`classifyAwsError`, `classifyAwsErrorCode`).
export { AwsRequestError, InvalidArgumentError, KinesisToolkitError } from '@kinesis-toolkit/core';
