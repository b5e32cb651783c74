import { resolve as resolvePath } from 'node:path';
import type { Readable } from 'node:stream';
import { sleep, type Clock, type Logger, type MetricsRecorder } from '@kinesis-toolkit/core';
import { AgentMetrics } from '../metrics/AgentMetrics';
import { CheckpointFile } from '../checkpoint/CheckpointFile';
import type { FlowCheckpoints } from '../checkpoint/FlowCheckpoints';
import { FileTailer } from '../tailing/FileTailer';
import { LineSplitter } from '../tailing/LineSplitter';
import { MultiLineAssembler, type AssembledRecord } from '../tailing/MultiLineAssembler';
import { PartitionKeyStrategy } from './PartitionKeyStrategy';
import { buildConverters, type ConverterContext } from '../processing/buildConverters';
import { compilePattern, compileStartPattern, type ResolvedProduceOptions } from '../config/ProduceOptions';
import { RecordPipeline, type PipelineStats, type RecordPutter } from './RecordPipeline';

/** What a {@link ProduceAgent} runs with besides its options. */
export interface ProduceAgentContext {
  readonly producer: RecordPutter;
  readonly stdin: Readable;
  readonly cwd: string;
  /** Fires on Ctrl-C / SIGTERM: stop reading, flush, checkpoint, return. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Prints one line about one record (failures, truncations). */
  readonly report: (message: string) => void;
  /** Where the flow's file checkpoints live. @defaultValue the options' `checkpointFile` (one stream per file) */
  readonly checkpoints?: FlowCheckpoints;
  /** What ADDEC2METADATA adds (fetched before the flow starts). */
  readonly converterContext?: ConverterContext;
  /**
   * After the signal, how long to wait for records in flight before writing the last checkpoint
   * and returning (records not acknowledged by then are sent again after a restart).
   * @defaultValue no limit (the producer's record TTL bounds the wait)
   */
  readonly shutdownTimeoutMs?: number;
  /**
   * Where the agent's metrics go (namespace `AWSKinesisAgent`, dimension `Destination`: BytesSent,
   * RecordSendAttempts, RecordSendErrors, ServiceErrors), read from the producer's request events.
   * @defaultValue none
   */
  readonly metrics?: MetricsRecorder;
  /** The namespace of those metrics (agent.json's `cloudwatch.namespace`). @defaultValue `AWSKinesisAgent` */
  readonly metricsNamespace?: string;
  /** Dimensions every metric carries besides `Destination` (agent.json's `cloudwatch.tagInstance`). @defaultValue none */
  readonly metricsDimensions?: readonly { readonly name: string; readonly value: string }[];
}

/** How a run ended. */
export interface ProduceSummary extends PipelineStats {
  /** Stopped by the signal before its input ended (stdin mode). */
  readonly interrupted: boolean;
}

const READ_CHUNK_BYTES = 256 * 1024;

/**
 * The Kinesis Agent's loop: read records from stdin or tailed files, send them through the
 * pipeline, and — for files — checkpoint, per file, the offset after the last record that was
 * acknowledged together with every record before it. Shutting down (the signal, end of stdin,
 * `exitWhenDone`) flushes the producer, so every record read is acknowledged or reported before
 * the last checkpoint is written.
 */
export class ProduceAgent {
  readonly #options: ResolvedProduceOptions;
  readonly #context: ProduceAgentContext;
  readonly #pipeline: RecordPipeline;
  readonly #startPattern: RegExp | undefined;

  constructor(options: ResolvedProduceOptions, context: ProduceAgentContext) {
    this.#options = options;
    this.#context = context;
    this.#startPattern = options.multiLineStartPattern === undefined ? undefined : compileStartPattern(options.multiLineStartPattern);
    this.#pipeline = new RecordPipeline({
      producer: context.producer,
      converters: buildConverters(options.dataProcessingOptions, context.converterContext),
      // Firehose has no partition keys: none is computed.
      partitionKey: options.deliveryStreamName !== undefined ? undefined : new PartitionKeyStrategy(PartitionKeyStrategy.parse(options.partitionKey)),
      truncatedRecordTerminator: options.truncatedRecordTerminator,
      report: context.report,
      aggregatedRecordSizeBytes: options.aggregatedRecordSizeBytes,
    });
  }

  /** Runs until the input ends (stdin, or files with `exitWhenDone`) or the signal fires. */
  async run(): Promise<ProduceSummary> {
    const metrics = this.#context.metrics === undefined ? undefined : new AgentMetrics(this.#context.metrics, AgentMetrics.destinationOf(this.#options), this.#context.metricsNamespace, this.#context.metricsDimensions);
    metrics?.listenTo(this.#context.producer as object);
    try {
      const interrupted = this.#options.files.length === 0 ? await this.#runStdin() : await this.#runFiles();
      return { ...this.#pipeline.stats, interrupted };
    } finally {
      metrics?.stop();
    }
  }

  async #runStdin(): Promise<boolean> {
    const { stdin, signal } = this.#context;
    const splitter = new LineSplitter(0, this.#options.maxRecordBytes);
    const assembler = new MultiLineAssembler(this.#startPattern, this.#options.maxRecordBytes);
    // Records come in order and know their line count: the first line of the next one follows.
    let nextLine = 1;
    const submit = (record: AssembledRecord | undefined) => {
      if (record === undefined) return;
      // Nothing to checkpoint for stdin: what was read is gone once read.
      this.#pipeline.submit({ data: record.data, truncated: record.truncated, location: `stdin:${nextLine}`, settle: () => undefined });
      nextLine += record.lineCount;
    };
    const stop = () => stdin.destroy();
    signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const chunk of stdin) {
        for (const line of splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))) submit(assembler.push(line));
        await this.#pipeline.waitForRoom();
        if (signal.aborted) break;
      }
    } catch (error) {
      // Destroying stdin on Ctrl-C ends the loop with a premature-close error: that is the stop.
      if (!signal.aborted) throw error;
    } finally {
      signal.removeEventListener('abort', stop);
    }
    if (!signal.aborted) {
      const last = splitter.end();
      if (last !== undefined) submit(assembler.push(last));
      submit(assembler.flush());
    }
    await this.#drain();
    return signal.aborted;
  }

  /** Waits for every record in flight — at most `shutdownTimeoutMs` once the signal fired. */
  async #drain(): Promise<void> {
    const { shutdownTimeoutMs, clock, signal, logger } = this.#context;
    const drained = this.#pipeline.drain();
    if (shutdownTimeoutMs === undefined) return drained;
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const limit = new Promise<'timeout'>((resolve) => {
      const start = () => (timer = clock.setTimeout(() => resolve('timeout'), shutdownTimeoutMs));
      if (signal.aborted) start();
      else signal.addEventListener('abort', start, { once: true });
    });
    try {
      const outcome = await Promise.race([drained.then(() => 'drained' as const), limit]);
      if (outcome === 'timeout') {
        logger.warn({ inFlight: this.#pipeline.inFlight }, `records still in flight after shutdownTimeoutMillis (${shutdownTimeoutMs} ms): checkpointing what was acknowledged; the rest is sent again after a restart`);
      }
    } finally {
      if (timer !== undefined) clock.clearTimeout(timer);
    }
  }

  async #runFiles(): Promise<boolean> {
    const { signal, clock, logger, cwd } = this.#context;
    const options = this.#options;
    const checkpoints = this.#context.checkpoints ?? new CheckpointFile(resolvePath(cwd, options.checkpointFile)).forStream(options.streamName ?? '');
    const saved = await checkpoints.load();
    const tailer = new FileTailer({
      globs: options.files,
      cwd,
      initialPosition: options.initialPosition,
      checkpoints: saved,
      maxRecordBytes: options.maxRecordBytes,
      multiLineStartPattern: this.#startPattern,
      skipHeaderLines: options.skipHeaderLines,
      fileFooterPattern: options.fileFooterPattern === undefined ? undefined : compilePattern('fileFooterPattern', options.fileFooterPattern),
      readChunkBytes: READ_CHUNK_BYTES,
      emit: (record) => this.#pipeline.submit(record),
      waitForRoom: () => this.#pipeline.waitForRoom(),
      logger,
    });
    let lastSaved = '';
    let lastSavedAt = clock.now();
    const save = async (final: boolean) => {
      const files = tailer.checkpoints();
      const text = JSON.stringify(files);
      if (text === lastSaved) return;
      try {
        await checkpoints.save(files);
        lastSaved = text;
        lastSavedAt = clock.now();
      } catch (error) {
        // While running, a failed write only means a restart re-sends more; at the end it is an error.
        if (final) throw error;
        logger.error({}, (error as Error).message);
      }
    };
    try {
      await tailer.poll();
      // Record where reading starts at once: a restart must not take files it saw as new.
      await save(false);
      while (!signal.aborted) {
        if (options.exitWhenDone && tailer.caughtUp) {
          tailer.flushRecords();
          break;
        }
        // The signal ends the wait early: the loop then stops.
        await sleep(options.pollIntervalMs, { clock, signal }).catch(() => undefined);
        if (signal.aborted) break;
        await tailer.poll();
        // A rotated file's last record is handed on after its last read: do not hold it in an aggregate.
        this.#pipeline.endOfRead();
        if (clock.now() - lastSavedAt >= options.checkpointIntervalMs) await save(false);
      }
      await this.#drain();
      await save(true);
      for (const { path, bytes } of tailer.incompleteLines()) {
        logger.warn({}, `${path} ends with an incomplete line (${bytes} bytes, no newline yet): not sent; it is sent once complete`);
      }
    } finally {
      await tailer.close();
    }
    return false;
  }
}
