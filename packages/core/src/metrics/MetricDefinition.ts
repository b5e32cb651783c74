import type { MetricsLevel } from './MetricsLevel';

/** A CloudWatch unit, as the KPL and KCL publish them. */
export type MetricUnit = 'Count' | 'Milliseconds' | 'Bytes';

/**
 * How a metric's observations add up, which decides its OpenTelemetry instrument and its EMF form:
 * `counter` (a count or an amount that only adds up: published as its sum), `gauge` (a level sampled
 * now and then), `histogram` (a distribution: times, sizes, per-request counts).
 */
export type MetricKind = 'counter' | 'gauge' | 'histogram';

/** One metric of a catalog: its CloudWatch name, unit and level, and its OpenTelemetry instrument. */
export interface MetricDefinition {
  /** The CloudWatch metric name, as the Java library publishes it (`UserRecordsPut`, `RenewLease.Time`). */
  readonly name: string;
  readonly unit: MetricUnit;
  /** The least level at which it is published. */
  readonly level: Exclude<MetricsLevel, 'NONE'>;
  readonly kind: MetricKind;
  /** The OpenTelemetry instrument name (`aws.kinesis.producer.user_records_put`). */
  readonly otelName: string;
  /** What it measures, one sentence (the READMEs' metric tables). */
  readonly description: string;
}

/** UCUM units of OpenTelemetry instruments, by CloudWatch unit. */
export const OTEL_UNITS: Readonly<Record<MetricUnit, string>> = Object.freeze({ Count: '1', Milliseconds: 'ms', Bytes: 'By' });

/**
 * OpenTelemetry attribute names of the dimensions, as the Java KCL's OpenTelemetry path (KCL 3.5+)
 * names them; `ErrorCode` becomes the semantic conventions' `error.type`. Other dimensions keep their name.
 */
export const OTEL_ATTRIBUTE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  Operation: 'aws.kinesis.operation',
  ShardId: 'aws.kinesis.shard.id',
  StreamName: 'aws.kinesis.stream_name',
  StreamId: 'aws.kinesis.stream_name',
  WorkerIdentifier: 'aws.kinesis.consumer.name',
  ErrorCode: 'error.type',
});

/** KCL names the Java KCL renames outright for OpenTelemetry. */
const OTEL_SPECIAL_NAMES: Readonly<Record<string, string>> = Object.freeze({
  MillisBehindLatest: 'consumer.lag.duration',
  DataBytesProcessed: 'records.size',
  NumWorkers: 'workers',
});

/**
 * A CloudWatch metric name as an OpenTelemetry instrument name, by the Java KCL's rules
 * (`OtelMetricNameTransformer`): a few names renamed outright; otherwise `:` becomes `.`, a trailing
 * `.Time` becomes `.duration`, a trailing `.Count` is dropped, PascalCase and camelCase words are
 * split with `_` inside each dot-separated part (a run of capitals is one word), all lower case —
 * then `prefix` in front. `RecordProcessor.processRecords.Time` → `aws.kinesis.client.record_processor.process_records.duration`.
 */
export function otelInstrumentName(prefix: string, name: string): string {
  const special = OTEL_SPECIAL_NAMES[name];
  if (special !== undefined) return prefix + special;
  let out = name.replace(/:/g, '.');
  if (out.endsWith('.Time')) out = `${out.slice(0, -'.Time'.length)}.duration`;
  if (out.endsWith('.Count')) out = out.slice(0, -'.Count'.length);
  out = out
    .split('.')
    .map((part) => part.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2'))
    .join('.')
    .toLowerCase();
  return prefix + out;
}

/** Builds a catalog entry, with its OpenTelemetry name from {@link otelInstrumentName}. */
export function defineMetric(prefix: string, name: string, unit: MetricUnit, level: Exclude<MetricsLevel, 'NONE'>, kind: MetricKind, description: string): MetricDefinition {
  return Object.freeze({ name, unit, level, kind, otelName: otelInstrumentName(prefix, name), description });
}
