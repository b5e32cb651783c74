import { KPL_METRICS, kplDimensionSets, type MetricDimension, type MetricSeries, type MetricsNamespace, type MetricsRecorder, type TimerHandle } from '@kinesis-toolkit/core';
import type { PendingRecord } from '../buffering/PendingRecord';
import type { ResolvedProducerOptions } from '../config/ProducerOptions';
import { RecordExpiredError } from '../errors/RecordExpiredError';
import type { PutRecordsEvent } from '../events/PutRecordsEvent';

/** What the metrics read of their producer. */
export interface MeteredProducer {
  readonly receivedRecords: number;
  readonly outstandingRecords: number;
  on(event: 'putRecords', listener: (event: PutRecordsEvent) => void): unknown;
  off(event: 'putRecords', listener: (event: PutRecordsEvent) => void): unknown;
}

/** The KPL samples UserRecordsPending this often. */
export const PENDING_SAMPLE_INTERVAL_MS = 200;

/** The series of one shard (or of the stream, for records without a shard). */
interface ShardSeries {
  readonly userRecordsPut: MetricSeries | undefined;
  readonly userRecordsDataPut: MetricSeries | undefined;
  readonly userRecordExpired: MetricSeries | undefined;
  readonly bufferingTime: MetricSeries | undefined;
  readonly retriesPerRecord: MetricSeries | undefined;
  readonly kinesisRecordsPut: MetricSeries | undefined;
  readonly kinesisRecordsDataPut: MetricSeries | undefined;
  readonly allErrors: MetricSeries | undefined;
  readonly userRecordsPerKinesisRecord: MetricSeries | undefined;
}

/**
 * The KPL's metrics of one producer, recorded on core's metrics layer with the KPL's names,
 * dimensions (`StreamName`, `ShardId`, `ErrorCode`), level and granularity. Request-level metrics
 * come from the producer's `putRecords` events; per-user-record ones from the producer as each
 * record settles (series looked up once per shard, nothing allocated per record); UserRecordsPending
 * and UserRecordsReceived are sampled every 200 ms, as the KPL does. Internal.
 */
export class ProducerMetrics {
  readonly #namespace: MetricsNamespace;
  readonly #stream: MetricDimension;
  readonly #byShard = new Map<string, ShardSeries>();
  readonly #streamLevel: ShardSeries;
  readonly #errorsByCode = new Map<string, MetricSeries | undefined>();
  readonly #requestTime: MetricSeries | undefined;
  readonly #kinesisRecordsPerRequest: MetricSeries | undefined;
  readonly #userRecordsPerRequest: MetricSeries | undefined;
  readonly #received: MetricSeries | undefined;
  readonly #pending: MetricSeries | undefined;
  readonly #listener = (event: PutRecordsEvent): void => this.#onPutRecords(event);
  #receivedSoFar = 0;
  #timer: TimerHandle | undefined;
  #stopped = false;

  constructor(
    private readonly producer: MeteredProducer,
    private readonly config: ResolvedProducerOptions,
    recorder: MetricsRecorder,
    streamLabel: string,
  ) {
    this.#namespace = recorder.namespace(config.metricsNamespace, { level: config.metricsLevel, dimensionSets: kplDimensionSets(config.metricsGranularity) });
    this.#stream = { name: 'StreamName', value: streamNameOf(streamLabel) };
    const streamOnly = [this.#stream];
    this.#streamLevel = this.#seriesOf(streamOnly);
    this.#requestTime = this.#namespace.series(KPL_METRICS.RequestTime, streamOnly);
    this.#kinesisRecordsPerRequest = this.#namespace.series(KPL_METRICS.KinesisRecordsPerPutRecordsRequest, streamOnly);
    this.#userRecordsPerRequest = this.#namespace.series(KPL_METRICS.UserRecordsPerPutRecordsRequest, streamOnly);
    this.#received = this.#namespace.series(KPL_METRICS.UserRecordsReceived, streamOnly);
    this.#pending = this.#namespace.series(KPL_METRICS.UserRecordsPending, streamOnly);
    if (!this.#namespace.enabled) return;
    producer.on('putRecords', this.#listener);
    if (this.#received !== undefined || this.#pending !== undefined) this.#schedule();
  }

  /** A user record settled: success (with the shard it landed on) or failure. */
  settled(record: PendingRecord, error: Error | undefined, shardId: string | undefined): void {
    const series = shardId === undefined ? this.#streamLevel : this.#shard(shardId);
    const attempts = record.attempts;
    if (error === undefined) {
      series.userRecordsPut?.record(1);
      series.userRecordsDataPut?.record(record.data.length);
    } else {
      series.userRecordsPut?.record(0);
      if (error instanceof RecordExpiredError) series.userRecordExpired?.record(1);
    }
    const buffering = series.bufferingTime;
    if (buffering !== undefined) {
      let last = record.arrivedAt;
      for (let i = 0; i < attempts.length; i++) {
        const attempt = attempts[i]!;
        buffering.record(Math.max(0, attempt.startedAt - last));
        last = attempt.startedAt + attempt.durationMs;
      }
    }
    series.retriesPerRecord?.record(attempts.length > 0 ? attempts.length - 1 : 0);
  }

  /** Stops sampling (a last sample is taken) and listening. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.config.clock.clearTimeout(this.#timer);
    this.producer.off('putRecords', this.#listener);
    if (this.#namespace.enabled) this.#sample();
  }

  #onPutRecords(event: PutRecordsEvent): void {
    this.#requestTime?.record(event.durationMs);
    this.#kinesisRecordsPerRequest?.record(event.records.length);
    let userRecords = 0;
    for (const entry of event.records) {
      userRecords += entry.userRecords;
      const shardId = entry.predictedShardId;
      const series = shardId === undefined ? this.#streamLevel : this.#shard(shardId);
      series.userRecordsPerKinesisRecord?.record(entry.userRecords);
      if (event.errorCode !== undefined) continue;
      if (entry.errorCode === undefined) {
        series.kinesisRecordsPut?.record(1);
        series.kinesisRecordsDataPut?.record(entry.bytes);
        series.allErrors?.record(0);
      } else {
        series.kinesisRecordsPut?.record(0);
        this.#errorCode(entry.errorCode, shardId)?.record(1);
        series.allErrors?.record(1);
      }
    }
    this.#userRecordsPerRequest?.record(userRecords);
    if (event.errorCode !== undefined) {
      // A request that failed as a whole counts once, at the stream level (the KPL's ErrorsByCode and AllErrors).
      this.#errorCode(event.errorCode, undefined)?.record(1);
      this.#streamLevel.allErrors?.record(1);
    }
  }

  #shard(shardId: string): ShardSeries {
    let series = this.#byShard.get(shardId);
    if (series === undefined) {
      series = this.#seriesOf([this.#stream, { name: 'ShardId', value: shardId }]);
      this.#byShard.set(shardId, series);
    }
    return series;
  }

  #seriesOf(dimensions: readonly MetricDimension[]): ShardSeries {
    const at = (metric: (typeof KPL_METRICS)[keyof typeof KPL_METRICS]) => this.#namespace.series(metric, dimensions);
    return {
      userRecordsPut: at(KPL_METRICS.UserRecordsPut),
      userRecordsDataPut: at(KPL_METRICS.UserRecordsDataPut),
      userRecordExpired: at(KPL_METRICS.UserRecordExpired),
      bufferingTime: at(KPL_METRICS.BufferingTime),
      retriesPerRecord: at(KPL_METRICS.RetriesPerRecord),
      kinesisRecordsPut: at(KPL_METRICS.KinesisRecordsPut),
      kinesisRecordsDataPut: at(KPL_METRICS.KinesisRecordsDataPut),
      allErrors: at(KPL_METRICS.AllErrors),
      userRecordsPerKinesisRecord: at(KPL_METRICS.UserRecordsPerKinesisRecord),
    };
  }

  #errorCode(code: string, shardId: string | undefined): MetricSeries | undefined {
    const key = shardId === undefined ? code : `${code}\u0000${shardId}`;
    if (this.#errorsByCode.has(key)) return this.#errorsByCode.get(key);
    const dimensions = [{ name: 'ErrorCode', value: code }, this.#stream, ...(shardId === undefined ? [] : [{ name: 'ShardId', value: shardId }])];
    const series = this.#namespace.series(KPL_METRICS.ErrorsByCode, dimensions);
    this.#errorsByCode.set(key, series);
    return series;
  }

  #sample(): void {
    const received = this.producer.receivedRecords;
    if (received > this.#receivedSoFar) this.#received?.record(1, received - this.#receivedSoFar);
    this.#receivedSoFar = received;
    this.#pending?.record(this.producer.outstandingRecords);
  }

  #schedule(): void {
    const timer = this.config.clock.setTimeout(() => {
      if (this.#stopped) return;
      this.#sample();
      this.#schedule();
    }, PENDING_SAMPLE_INTERVAL_MS);
    // Sampling alone must not keep a process alive.
    (timer as { unref?: () => void } | undefined)?.unref?.();
    this.#timer = timer;
  }
}

/** The stream's name, from a name or an ARN (`arn:aws:kinesis:…:stream/NAME`). */
function streamNameOf(label: string): string {
  const at = label.indexOf(':stream/');
  return label.startsWith('arn:') && at >= 0 ? label.slice(at + ':stream/'.length) : label;
}
