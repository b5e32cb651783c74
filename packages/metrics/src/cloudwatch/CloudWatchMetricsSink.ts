import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { RetryPolicy, SDK_CLIENT_DEFAULTS, callAws, type MetricsSink, type MetricsSnapshot } from '@kinesis-toolkit/core';
import { resolveCloudWatchMetricsSinkOptions, type CloudWatchMetricsSinkOptions, type ResolvedCloudWatchMetricsSinkOptions } from './CloudWatchMetricsSinkOptions';
import { toMetricData, type NamespacedDatum } from './toMetricData';

/**
 * Publishes core's metrics layer to CloudWatch with `PutMetricData`, as the KPL and KCL do: once
 * per interval of the `MetricsRecorder` (60 s by default), each series as a statistic set
 * (SampleCount, Sum, Minimum, Maximum) under each of its dimension sets, up to 1000 datums a request,
 * through core's `callAws` (a deadline per attempt, the classifier, the retry policy).
 *
 * It never blocks or slows the data path: `publish()` queues and returns; one request is in flight
 * at a time; past `maxQueuedDatums` new datums are dropped, counted in `dropped` and logged at warn.
 * A request that fails for good is logged and its datums counted in `failed`.
 *
 * ```ts
 * const metrics = new MetricsRecorder({ sinks: [new CloudWatchMetricsSink()] });
 * ```
 */
export class CloudWatchMetricsSink implements MetricsSink {
  /** The resolved configuration. */
  readonly config: ResolvedCloudWatchMetricsSinkOptions;
  readonly #client: CloudWatchClient;
  readonly #ownsClient: boolean;
  readonly #retry: RetryPolicy;
  readonly #queue: NamespacedDatum[] = [];
  #sending: Promise<void> | undefined;
  #sent = 0;
  #dropped = 0;
  #failed = 0;
  #requests = 0;
  #closed = false;

  constructor(options: CloudWatchMetricsSinkOptions = {}) {
    this.config = resolveCloudWatchMetricsSinkOptions(options);
    this.#ownsClient = this.config.cloudWatchClient === undefined;
    this.#client = this.config.cloudWatchClient ?? new CloudWatchClient({ ...SDK_CLIENT_DEFAULTS });
    this.#retry = new RetryPolicy(this.config.retry, { clock: this.config.clock, random: this.config.random });
  }

  /** Datums CloudWatch accepted. */
  get sent(): number {
    return this.#sent;
  }

  /** Datums dropped because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Datums of requests that failed for good. */
  get failed(): number {
    return this.#failed;
  }

  /** PutMetricData requests sent (attempts not counted). */
  get requests(): number {
    return this.#requests;
  }

  /** Datums waiting to be sent. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Queues the interval's datums and returns at once; they are sent in the background. */
  publish(snapshot: MetricsSnapshot): void {
    if (this.#closed) return;
    const data = toMetricData(snapshot);
    const room = Math.max(0, this.config.maxQueuedDatums - this.#queue.length);
    for (let i = 0; i < Math.min(room, data.length); i++) this.#queue.push(data[i]!);
    const dropped = data.length - Math.min(room, data.length);
    if (dropped > 0) {
      this.#dropped += dropped;
      this.config.logger.warn({ dropped, droppedTotal: this.#dropped, maxQueuedDatums: this.config.maxQueuedDatums }, `CloudWatch metrics queue full: ${dropped} datum(s) dropped (CloudWatch is slower than the metrics come)`);
    }
    this.#sending ??= this.#drain().finally(() => (this.#sending = undefined));
  }

  /** Sends what is queued (each request still bounded by its deadline and retries), then stops. */
  async close(): Promise<void> {
    if (this.#sending !== undefined) await this.#sending;
    this.#closed = true;
    if (this.#queue.length > 0) await this.#drain();
    if (this.#ownsClient) this.#client.destroy();
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      if (this.#aborted()) {
        this.#abandon(0);
        return;
      }
      const namespace = this.#queue[0]!.namespace;
      const batch: NamespacedDatum[] = [];
      for (let i = 0; i < this.#queue.length && batch.length < this.config.maxDatumsPerRequest; ) {
        if (this.#queue[i]!.namespace === namespace) batch.push(...this.#queue.splice(i, 1));
        else i++;
      }
      this.#requests++;
      try {
        await callAws(this.#client, new PutMetricDataCommand({ Namespace: namespace, MetricData: batch.map((entry) => entry.datum) }), {
          service: 'CloudWatch',
          operation: 'PutMetricData',
          timeoutMs: this.config.requestTimeoutMs,
          retry: this.#retry,
          clock: this.config.clock,
          context: { namespace },
          logger: this.config.logger,
          signal: this.config.signal,
        });
        this.#sent += batch.length;
      } catch (error) {
        if (this.#aborted()) {
          this.#abandon(batch.length);
          return;
        }
        this.#failed += batch.length;
        this.config.logger.warn({ namespace, datums: batch.length, error }, `PutMetricData of ${batch.length} datum(s) to ${namespace} failed: ${(error as Error).message}`);
      }
    }
  }

  #aborted(): boolean {
    return this.config.signal?.aborted === true;
  }

  /** Stopped by the signal: what is queued (and `inFlight` datums of the aborted request) are not sent; one line says so. */
  #abandon(inFlight: number): void {
    const abandoned = inFlight + this.#queue.splice(0).length;
    this.#failed += abandoned;
    this.config.logger.warn({ datums: abandoned }, `${abandoned} CloudWatch metric datum(s) not sent: stopped (${String(this.config.signal?.reason)})`);
  }
}
