import { Readable } from 'node:stream';
import { NOOP_LOGGER, SYSTEM_CLOCK, type Clock, type Logger, type MetricsRecorder } from '@kinesis-toolkit/core';
import { KinesisProducer } from '@kinesis-toolkit/kpl';
import type { AgentClients } from './aws/agentClients';
import { AgentCheckpointFile } from './checkpoint/AgentCheckpointFile';
import type { AgentFlow, AgentJson } from './config/readAgentJson';
import { FirehoseProducer } from './destinations/FirehoseProducer';
import { Ec2MetadataSource } from './ec2/Ec2MetadataSource';
import { Imds, type ImdsOptions } from './ec2/Imds';
import { AgentMetricsPublisher } from './metrics/AgentMetricsPublisher';
import { INSTANCE_DIMENSION, resolveInstanceTag } from './metrics/instanceTag';
import { ProduceAgent, type ProduceSummary } from './pipeline/ProduceAgent';
import type { RecordPutter } from './pipeline/RecordPipeline';
import { needsEc2Metadata } from './processing/buildConverters';

/** The KPL's smallest PutRecords byte limit. */
const KPL_MIN_COLLECTION_BYTES = 52_224;

/** What a {@link KinesisAgent} runs with. */
export interface KinesisAgentContext {
  readonly clients: AgentClients;
  /** Stops every flow: stop reading, send what was read (up to `shutdownTimeoutMillis`), checkpoint. */
  readonly signal: AbortSignal;
  /** Prints one line about one record that failed or was cut. */
  readonly report: (message: string) => void;
  /** @defaultValue a no-op logger */
  readonly logger?: Logger;
  /** @defaultValue the system clock */
  readonly clock?: Clock;
  /** Where ADDEC2METADATA and `cloudwatch.tagInstance` read the instance metadata. @defaultValue IMDS at 169.254.169.254, 1 s per request */
  readonly imds?: ImdsOptions;
  /** The host name `cloudwatch.tagInstance` falls back to off EC2. @defaultValue `os.hostname()` */
  readonly hostname?: () => string;
  /** Exit once every file is read and acknowledged (tests, one-shot runs). @defaultValue false */
  readonly exitWhenDone?: boolean;
  /**
   * Where the flows' metrics go instead of agent.json's `cloudwatch.*` / `log.emitMetrics` sinks
   * (the CLI's --metrics); its owner closes it. `cloudwatch.namespace` still names them.
   * @defaultValue agent.json's: CloudWatch (`cloudwatch.emitMetrics`, default true) and/or the log
   */
  readonly metrics?: MetricsRecorder;
}

/** How one flow ended. */
export interface FlowSummary extends ProduceSummary {
  readonly flowId: string;
  /** The stream or delivery stream. */
  readonly destination: string;
}

/**
 * Runs an agent.json: every flow at once, each tailing its files into its own Kinesis stream
 * (through the KPL) or Firehose delivery stream (PutRecordBatch), each with its own checkpoints
 * in the one checkpoint file (keyed by flow id). ADDEC2METADATA reads the instance metadata first,
 * so that off EC2 the agent fails at start. The signal (SIGTERM) stops every flow: reading stops,
 * records read are sent for up to `shutdownTimeoutMillis`, checkpoints are written. A flow that
 * fails (its stream was deleted, access denied) stops the others too, and `run` rejects with its
 * error after they checkpointed.
 *
 * Metrics (agent.json's `cloudwatch.*`, `log.emitMetrics`): the Java agent's BytesSent,
 * RecordSendAttempts, RecordSendErrors and ServiceErrors per `Destination`, sent every
 * `cloudwatch.metricsBufferTimeMillis` off the data path, the last interval at shutdown.
 */
export class KinesisAgent {
  constructor(
    readonly config: AgentJson,
    private readonly context: KinesisAgentContext,
  ) {}

  async run(): Promise<FlowSummary[]> {
    const logger = this.context.logger ?? NOOP_LOGGER;
    const clock = this.context.clock ?? SYSTEM_CLOCK;
    for (const notice of this.config.notices) logger.info({ configFile: this.config.path }, notice);
    const ec2Metadata = this.config.flows.some((flow) => needsEc2Metadata(flow.options.dataProcessingOptions))
      ? await Ec2MetadataSource.fetch(new Imds(this.context.imds), Date.now, logger)
      : undefined;
    const checkpoints = new AgentCheckpointFile(this.config.settings.checkpointFile);
    const publisher = this.context.metrics === undefined ? new AgentMetricsPublisher(this.config.settings.metrics, { cloudWatchClient: this.context.clients.cloudWatch, logger, clock }) : undefined;
    const metrics = this.context.metrics ?? publisher?.recorder;
    const metricsDimensions = metrics !== undefined && this.config.settings.metrics.tagInstance ? await this.#instanceDimension(ec2Metadata, logger) : [];
    const stop = new AbortController();
    const onAbort = () => stop.abort(this.context.signal.reason);
    if (this.context.signal.aborted) onAbort();
    else this.context.signal.addEventListener('abort', onAbort, { once: true });

    const runs = this.config.flows.map(async (flow): Promise<FlowSummary> => {
      const producer = this.#producerFor(flow, logger, clock);
      const flowLogger = logger.child?.({ flow: flow.id }) ?? logger;
      try {
        const summary = await new ProduceAgent(
          { ...flow.options, exitWhenDone: this.context.exitWhenDone ?? flow.options.exitWhenDone },
          {
            producer: producer.putter,
            stdin: Readable.from([]),
            cwd: '/',
            signal: stop.signal,
            clock,
            logger: flowLogger,
            report: this.context.report,
            checkpoints: checkpoints.flow(flow.id),
            converterContext: ec2Metadata === undefined ? {} : { ec2Metadata },
            shutdownTimeoutMs: this.config.settings.shutdownTimeoutMs,
            ...(metrics !== undefined ? { metrics, metricsNamespace: this.config.settings.metrics.namespace, metricsDimensions } : {}),
          },
        ).run();
        return { ...summary, flowId: flow.id, destination: flow.options.streamName ?? flow.options.deliveryStreamName ?? '' };
      } catch (error) {
        // One flow failing stops the others (after they checkpoint), as a failed agent would.
        stop.abort(error);
        throw error;
      } finally {
        await producer.close();
      }
    });
    try {
      const results = await Promise.allSettled(runs);
      const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      return results.map((result) => (result as PromiseFulfilledResult<FlowSummary>).value);
    } finally {
      this.context.signal.removeEventListener('abort', onAbort);
      // The last interval of metrics, within the shutdown timeout; a failure here never fails the run.
      await publisher?.close(this.config.settings.shutdownTimeoutMs);
    }
  }

  /** `cloudwatch.tagInstance`: the instance id (the metadata ADDEC2METADATA fetched, else IMDS), else the host name. */
  async #instanceDimension(ec2Metadata: Ec2MetadataSource | undefined, logger: Logger): Promise<{ name: string; value: string }[]> {
    const imds = new Imds(this.context.imds);
    const value = await resolveInstanceTag({
      metadata: async () => ec2Metadata?.current(Infinity) ?? imds.instanceMetadata(),
      ...(this.context.hostname !== undefined ? { hostname: this.context.hostname } : {}),
      logger,
    });
    return value === undefined ? [] : [{ name: INSTANCE_DIMENSION, value }];
  }

  #producerFor(flow: AgentFlow, logger: Logger, clock: Clock): { putter: RecordPutter; close(): Promise<void> } {
    const options = flow.options;
    const retry = { baseDelayMs: options.retryBaseDelayMs, maxDelayMs: options.retryMaxDelayMs };
    if (options.deliveryStreamName !== undefined) {
      const producer = new FirehoseProducer({
        deliveryStreamName: options.deliveryStreamName,
        client: this.context.clients.firehose,
        maxBatchRecords: options.maxBufferRecords,
        maxBatchBytes: options.maxBufferBytes,
        maxBufferedTimeMs: options.recordMaxBufferedTimeMs,
        recordTtlMs: options.recordTtlMs,
        retry,
        clock,
        logger,
      });
      return { putter: producer, close: () => producer.close() };
    }
    const producer = new KinesisProducer({
      streamName: options.streamName,
      kinesisClient: this.context.clients.kinesis,
      recordMaxBufferedTimeMs: options.recordMaxBufferedTimeMs,
      collectionMaxCount: options.maxBufferRecords,
      collectionMaxBytes: Math.max(KPL_MIN_COLLECTION_BYTES, options.maxBufferBytes),
      recordTtlMs: options.recordTtlMs,
      retry,
      clock,
      logger,
    });
    return { putter: producer, close: () => producer.close() };
  }
}
