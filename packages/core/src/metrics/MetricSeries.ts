import type { MetricDefinition } from './MetricDefinition';
import type { MetricDatum, MetricDimension } from './MetricsSnapshot';

/** Hears each observation of a series as it is recorded (what an OpenTelemetry histogram needs). */
export type MetricObserver = (value: number, times: number) => void;

/** At most this many values of a series are kept per interval (the EMF limit per metric). */
export const MAX_VALUES_PER_INTERVAL = 100;

/**
 * One metric with one set of dimension values, recording observations cheaply: a statistic set
 * (count, sum, min, max) per interval, a bounded sample of values for gauges and histograms, running
 * totals for OpenTelemetry's observable instruments, and the observers sinks attached. Get it once
 * from a {@link MetricsNamespace} and keep it: `record()` allocates nothing.
 */
export class MetricSeries {
  #count = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;
  readonly #values: number[] = [];
  #observers: MetricObserver[] | undefined;
  #total = 0;
  #last = Number.NaN;

  constructor(
    readonly namespace: string,
    readonly definition: MetricDefinition,
    /** Every dimension, finest last. */
    readonly dimensions: readonly MetricDimension[],
    /** The dimension-name sets the series is published under. */
    readonly dimensionSets: readonly (readonly string[])[],
    private readonly random: () => number,
  ) {}

  /** Records `times` observations of `value` (`times` > 1: a count that several records share). */
  record(value: number, times = 1): void {
    this.#count += times;
    this.#sum += value * times;
    this.#total += value * times;
    this.#last = value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    if (this.definition.kind !== 'counter') for (let i = 1; i <= times; i++) this.#sample(value, this.#count - times + i);
    const observers = this.#observers;
    if (observers !== undefined) for (let i = 0; i < observers.length; i++) observers[i]!(value, times);
  }

  /** The sum of every value recorded since the series was made (an observable counter's reading). */
  get total(): number {
    return this.#total;
  }

  /** The last value recorded (an observable gauge's reading), NaN before the first. */
  get last(): number {
    return this.#last;
  }

  /** Adds an observer of each observation. */
  observe(observer: MetricObserver): void {
    (this.#observers ??= []).push(observer);
  }

  /** The interval's aggregate, or undefined when nothing was recorded; starts the next interval. */
  takeInterval(): MetricDatum | undefined {
    if (this.#count === 0) return undefined;
    const { name, unit, kind, otelName } = this.definition;
    let values: number[] = [];
    if (kind !== 'counter') {
      values = this.#values.splice(0);
      // More than the sample holds: the extremes are exact, the rest a uniform sample.
      if (this.#count > MAX_VALUES_PER_INTERVAL) values = [this.#min, this.#max, ...values.slice(0, MAX_VALUES_PER_INTERVAL - 2)];
    }
    const datum: MetricDatum = {
      namespace: this.namespace,
      name,
      unit,
      kind,
      otelName,
      dimensions: this.dimensions,
      dimensionSets: this.dimensionSets,
      count: this.#count,
      sum: this.#sum,
      min: this.#min,
      max: this.#max,
      values,
    };
    this.#count = 0;
    this.#sum = 0;
    this.#min = Infinity;
    this.#max = -Infinity;
    return datum;
  }

  /** Reservoir sampling (Vitter's algorithm R): every value of the interval equally likely to be kept. */
  #sample(value: number, nth: number): void {
    const values = this.#values;
    if (values.length < MAX_VALUES_PER_INTERVAL) {
      values.push(value);
      return;
    }
    const slot = Math.floor(this.random() * nth);
    if (slot < MAX_VALUES_PER_INTERVAL) values[slot] = value;
  }
}
