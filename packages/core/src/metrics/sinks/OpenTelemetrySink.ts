import { metrics, type Attributes, type Histogram, type Meter, type MeterProvider, type ObservableResult } from '@opentelemetry/api';
import { rejectUnknownOptions, requireMethods, givenOptions } from '../../validation/validators';
import { OTEL_ATTRIBUTE_NAMES, OTEL_UNITS } from '../MetricDefinition';
import type { MetricObserver, MetricSeries } from '../MetricSeries';
import type { MetricsSink } from './MetricsSink';

/** Options of an {@link OpenTelemetrySink}. */
export interface OpenTelemetrySinkOptions {
  /**
   * The meter provider instruments are made with, one meter per namespace (the KCL's scope is the
   * application name). @defaultValue the global one (`metrics.getMeterProvider()` of `@opentelemetry/api`: a no-op until an SDK registers itself)
   */
  readonly meterProvider?: MeterProvider;
}

interface Observed {
  readonly series: MetricSeries;
  readonly attributes: Attributes;
}

/**
 * Publishes through the OpenTelemetry metrics API (only `@opentelemetry/api`; your application
 * brings the SDK and its exporters). Instruments are named and attributed as the Java KCL's
 * OpenTelemetry path does it: `aws.kinesis.client.records_processed`, `aws.kinesis.shard.id`,
 * `aws.kinesis.operation`, `aws.kinesis.stream_name`, …, with UCUM units (`ms`, `By`, `1`). Counters
 * and gauges are observable instruments that read the running totals at collection time (nothing
 * on the data path); histograms record each observation. Each series is attributed with its finest
 * dimension set (for the KPL, as its granularity allows): OpenTelemetry backends aggregate across
 * attributes themselves.
 */
export class OpenTelemetrySink implements MetricsSink {
  readonly #provider: MeterProvider;
  readonly #meters = new Map<string, Meter>();
  readonly #histograms = new Map<string, Histogram>();
  readonly #observed = new Map<string, Observed[]>();

  constructor(options: OpenTelemetrySinkOptions = {}) {
    const given = givenOptions('options', options);
    rejectUnknownOptions('', given, ['meterProvider']);
    this.#provider = given.meterProvider === undefined ? metrics.getMeterProvider() : requireMethods<MeterProvider>('meterProvider', given.meterProvider, ['getMeter'], 'an OpenTelemetry MeterProvider');
  }

  attach(series: MetricSeries): MetricObserver | undefined {
    const { definition, namespace } = series;
    const attributes = attributesOf(series);
    const key = `${namespace}\u0000${definition.otelName}`;
    if (definition.kind === 'histogram') {
      let histogram = this.#histograms.get(key);
      if (histogram === undefined) {
        histogram = this.#meter(namespace).createHistogram(definition.otelName, { unit: OTEL_UNITS[definition.unit], description: definition.description });
        this.#histograms.set(key, histogram);
      }
      const target = histogram;
      return (value, times) => {
        for (let i = 0; i < times; i++) target.record(value, attributes);
      };
    }
    let observed = this.#observed.get(key);
    if (observed === undefined) {
      observed = [];
      this.#observed.set(key, observed);
      const list = observed;
      const meter = this.#meter(namespace);
      const options = { unit: OTEL_UNITS[definition.unit], description: definition.description };
      if (definition.kind === 'counter') {
        meter.createObservableCounter(definition.otelName, options).addCallback((result: ObservableResult) => {
          // A series never recorded (one made ahead, such as the stream level of a shard metric) reports nothing.
          for (const { series: each, attributes: attrs } of list) if (!Number.isNaN(each.last)) result.observe(each.total, attrs);
        });
      } else {
        meter.createObservableGauge(definition.otelName, options).addCallback((result: ObservableResult) => {
          for (const { series: each, attributes: attrs } of list) if (!Number.isNaN(each.last)) result.observe(each.last, attrs);
        });
      }
    }
    observed.push({ series, attributes });
    return undefined;
  }

  #meter(namespace: string): Meter {
    let meter = this.#meters.get(namespace);
    if (meter === undefined) {
      meter = this.#provider.getMeter(namespace);
      this.#meters.set(namespace, meter);
    }
    return meter;
  }
}

/** The series' finest dimension set, as OpenTelemetry attributes. */
function attributesOf(series: MetricSeries): Attributes {
  const sets = series.dimensionSets;
  let finest: readonly string[] = [];
  for (const set of sets) if (set.length >= finest.length) finest = set;
  const attributes: Attributes = {};
  for (const { name, value } of series.dimensions) if (finest.includes(name)) attributes[OTEL_ATTRIBUTE_NAMES[name] ?? name] = value;
  return Object.freeze(attributes);
}
