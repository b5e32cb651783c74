import { AGENT_METRICS, AGENT_NAMESPACE, type MetricSeries, type MetricsRecorder } from '@kinesis-toolkit/core';

/** One send call (PutRecords or PutRecordBatch) of the agent, as its metrics count it. */
export interface SendCallOutcome {
  /** Records in the call (first tries and retries). */
  readonly records: number;
  /** Records the answer marked failed (0 when the call failed as a whole). */
  readonly failed: number;
  /** Bytes of the records the destination accepted. */
  readonly bytesSent: number;
  /** The call failed as a whole (no answer per record). */
  readonly serviceError: boolean;
}

/** The KPL's `putRecords` event, as far as the agent's metrics read it. */
interface PutRecordsLike {
  readonly errorCode: string | undefined;
  readonly records: readonly { readonly errorCode: string | undefined; readonly bytes: number; readonly userRecords?: number }[];
}

/** A producer the metrics can listen to: the KPL (`putRecords`) or the agent's Firehose producer (`sendCall`). */
interface Listenable {
  on?: (event: string, listener: (event: never) => void) => unknown;
  off?: (event: string, listener: (event: never) => void) => unknown;
}

/**
 * The Kinesis Agent's metrics on core's metrics layer: namespace `AWSKinesisAgent`, dimension
 * `Destination` (`KinesisStream:<name>` or `DeliveryStream:<name>`), BytesSent,
 * RecordSendAttempts, RecordSendErrors and ServiceErrors per send call, as the Java agent's
 * senders record them. Fed by the producer's request events (nothing per record).
 */
export class AgentMetrics {
  readonly #bytesSent: MetricSeries | undefined;
  readonly #attempts: MetricSeries | undefined;
  readonly #recordErrors: MetricSeries | undefined;
  readonly #serviceErrors: MetricSeries | undefined;
  readonly #detach: (() => void)[] = [];

  constructor(
    recorder: MetricsRecorder,
    /** The `Destination` dimension: see {@link AgentMetrics.destinationOf}. */
    readonly destination: string,
    namespace: string = AGENT_NAMESPACE,
    /** Dimensions every metric carries too (`cloudwatch.tagInstance`: `InstanceId`). */
    extraDimensions: readonly { readonly name: string; readonly value: string }[] = [],
  ) {
    const ns = recorder.namespace(namespace, { level: 'SUMMARY' });
    const dimensions = [{ name: 'Destination', value: destination }, ...extraDimensions];
    this.#bytesSent = ns.series(AGENT_METRICS.BytesSent, dimensions);
    this.#attempts = ns.series(AGENT_METRICS.RecordSendAttempts, dimensions);
    this.#recordErrors = ns.series(AGENT_METRICS.RecordSendErrors, dimensions);
    this.#serviceErrors = ns.series(AGENT_METRICS.ServiceErrors, dimensions);
  }

  /** The `Destination` value of a flow: `KinesisStream:<name>` or `DeliveryStream:<name>`, as the Java agent names it. */
  static destinationOf(flow: { readonly streamName?: string | undefined; readonly deliveryStreamName?: string | undefined }): string {
    return flow.deliveryStreamName !== undefined ? `DeliveryStream:${flow.deliveryStreamName}` : `KinesisStream:${flow.streamName ?? ''}`;
  }

  /** Counts one send call. */
  sendCall(outcome: SendCallOutcome): void {
    this.#attempts?.record(outcome.records);
    this.#serviceErrors?.record(outcome.serviceError ? 1 : 0);
    if (outcome.serviceError) return;
    this.#recordErrors?.record(outcome.failed);
    this.#bytesSent?.record(outcome.bytesSent);
  }

  /** Listens to a KPL producer's `putRecords` events or a Firehose producer's `sendCall` events, until {@link stop}. */
  listenTo(target: object): void {
    const producer = target as Listenable;
    if (typeof producer.on !== 'function' || typeof producer.off !== 'function') return;
    const onPutRecords = (event: PutRecordsLike): void => {
      // The agent's records: a KPL aggregate counts the user records (lines) it carries, as the
      // Java agent, which does not aggregate, counts each line it puts.
      let records = 0;
      let failed = 0;
      let bytesSent = 0;
      for (const entry of event.records) {
        const count = entry.userRecords ?? 1;
        records += count;
        if (entry.errorCode === undefined) bytesSent += entry.bytes;
        else failed += count;
      }
      this.sendCall({ records, failed, bytesSent, serviceError: event.errorCode !== undefined });
    };
    const onSendCall = (outcome: SendCallOutcome): void => this.sendCall(outcome);
    producer.on('putRecords', onPutRecords as (event: never) => void);
    producer.on('sendCall', onSendCall as (event: never) => void);
    this.#detach.push(() => {
      producer.off!('putRecords', onPutRecords as (event: never) => void);
      producer.off!('sendCall', onSendCall as (event: never) => void);
    });
  }

  /** Stops listening. */
  stop(): void {
    for (const detach of this.#detach.splice(0)) detach();
  }
}
