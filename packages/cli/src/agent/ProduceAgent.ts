import { resolve as resolvePath } from 'node:path';
import type { Readable } from 'node:stream';
import type { Clock, Logger } from '@kinesis-toolkit/core';
import { CheckpointFile, type CheckpointState } from './CheckpointFile';
import { CheckpointFileError } from './CheckpointFileError';
import { FileTailer } from './FileTailer';
import { LineSplitter } from './LineSplitter';
import { MultiLineAssembler, type AssembledRecord } from './MultiLineAssembler';
import { PartitionKeyStrategy } from './PartitionKeyStrategy';
import { buildConverters } from './processing/buildConverters';
import { compileStartPattern, type ResolvedProduceOptions } from './ProduceOptions';
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
      converters: buildConverters(options.dataProcessingOptions),
      partitionKey: new PartitionKeyStrategy(PartitionKeyStrategy.parse(options.partitionKey)),
      truncatedRecordTerminator: options.truncatedRecordTerminator,
      report: context.report,
    });
  }

  /** Runs until the input ends (stdin, or files with `exitWhenDone`) or the signal fires. */
  async run(): Promise<ProduceSummary> {
    const interrupted = this.#options.files.length === 0 ? await this.#runStdin() : await this.#runFiles();
    return { ...this.#pipeline.stats, interrupted };
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
    await this.#pipeline.drain();
    return signal.aborted;
  }

  async #runFiles(): Promise<boolean> {
    const { signal, clock, logger, cwd } = this.#context;
    const options = this.#options;
    const checkpointFile = new CheckpointFile(resolvePath(cwd, options.checkpointFile));
    const saved = await checkpointFile.load();
    if (saved !== undefined && saved.streamName !== options.streamName) {
      throw new CheckpointFileError(
        checkpointFile.path,
        `${checkpointFile.path} holds the checkpoints of stream ${JSON.stringify(saved.streamName)}, not ${JSON.stringify(options.streamName)}: pass another --checkpoint-file for this stream`,
      );
    }
    const tailer = new FileTailer({
      globs: options.files,
      cwd,
      initialPosition: options.initialPosition,
      checkpoints: saved,
      maxRecordBytes: options.maxRecordBytes,
      multiLineStartPattern: this.#startPattern,
      skipHeaderLines: options.skipHeaderLines,
      readChunkBytes: READ_CHUNK_BYTES,
      emit: (record) => this.#pipeline.submit(record),
      waitForRoom: () => this.#pipeline.waitForRoom(),
      logger,
    });
    let lastSaved = '';
    let lastSavedAt = clock.now();
    const save = async (final: boolean) => {
      const state: CheckpointState = { streamName: options.streamName, files: tailer.checkpoints() };
      const text = JSON.stringify(state);
      if (text === lastSaved) return;
      try {
        await checkpointFile.save(state);
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
        await sleep(options.pollIntervalMs, clock, signal);
        if (signal.aborted) break;
        await tailer.poll();
        if (clock.now() - lastSavedAt >= options.checkpointIntervalMs) await save(false);
      }
      await this.#pipeline.drain();
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

/** Waits `ms` on the clock, or less if the signal fires. */
function sleep(ms: number, clock: Clock, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = clock.setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
