import { InvalidArgumentError, rejectUnknownOptions, requireBoolean, requireInteger, requireOneOf, requireString } from '@kinesis-toolkit/core';
import { buildConverters, type DataProcessingOption } from '../processing/buildConverters';
import { PartitionKeyStrategy } from '../pipeline/PartitionKeyStrategy';

/**
 * Options of `kinesis-toolkit produce` (the flags and the config file's flow, merged). Every
 * field but `streamName` is optional; names follow the Kinesis Agent's where it has one.
 */
export interface ProduceOptions {
  /** The stream to send to (the agent's `kinesisStream`). This or `deliveryStreamName` is required. */
  readonly streamName?: string;
  /** The Firehose delivery stream to send to instead (the agent's `deliveryStream`). */
  readonly deliveryStreamName?: string;
  /** Glob patterns of the files to tail (the agent's `filePattern`); none: read stdin. @defaultValue [] */
  readonly files?: readonly string[];
  /** Where file offsets are checkpointed, relative to the working directory. @defaultValue `.kinesis-toolkit-agent.checkpoints.json` */
  readonly checkpointFile?: string;
  /** Processing applied to each record, in order (the agent's `dataProcessingOptions`). @defaultValue [] */
  readonly dataProcessingOptions?: readonly DataProcessingOption[];
  /** A record starts at a line this regular expression matches at its start; undefined: one line per record. */
  readonly multiLineStartPattern?: string;
  /**
   * Files: a line this regular expression matches (anywhere; anchor it with `^…$`) is the file's
   * footer (the agent's `fileFooterPattern`): it is not sent, and the file is done — nothing after
   * it is read. Undefined: files are tailed for ever.
   */
  readonly fileFooterPattern?: string;
  /** Lines skipped at the start of each file (read from offset 0). @defaultValue 0 */
  readonly skipHeaderLines?: number;
  /**
   * Delivery streams: join consecutive records (each with its `\n`) into one Firehose record of
   * at most this many bytes (the agent's `aggregatedRecordSizeBytes`); a record bigger on its own
   * goes alone. 0: one Firehose record per record. At most 1,024,000 (Firehose's record limit).
   * @defaultValue 0
   */
  readonly aggregatedRecordSizeBytes?: number;
  /** Ends a record cut to `maxRecordBytes`, instead of `\n`. @defaultValue `"\n"` */
  readonly truncatedRecordTerminator?: string;
  /** `random`, `deterministic` (MD5 of the data) or `field:NAME` (a JSON field). @defaultValue `random` */
  readonly partitionKey?: string;
  /** Where files that already exist on a first run (no checkpoint file) are read from. @defaultValue `END_OF_FILE` */
  readonly initialPosition?: 'START_OF_FILE' | 'END_OF_FILE';
  /** Pause between two polls of the files. @defaultValue 250 */
  readonly pollIntervalMs?: number;
  /** Write the checkpoint file at most this often (and at shutdown). @defaultValue 1000 */
  readonly checkpointIntervalMs?: number;
  /** Files: exit once everything in the files now is acknowledged (stdin always ends at EOF). @defaultValue false */
  readonly exitWhenDone?: boolean;
  /**
   * Longest record data (before the terminator); longer records are cut.
   * @defaultValue 1048064 (1 MiB − 512 B: room for the key); for a delivery stream 1,024,000 (Firehose's 1,000 KiB) less the terminator
   */
  readonly maxRecordBytes?: number;
  /** Most records in one request (PutRecords / PutRecordBatch; the agent's `maxBufferSizeRecords`, 1–500). @defaultValue 500 */
  readonly maxBufferRecords?: number;
  /** Largest request in bytes (the agent's `maxBufferSizeBytes`; Kinesis 1–5 MiB, Firehose 1–4 MiB). @defaultValue 5242880; 4194304 for a delivery stream */
  readonly maxBufferBytes?: number;
  /** The first retry of a failed record waits up to this long (the agent's `retryInitialBackoffMillis`). @defaultValue 100 */
  readonly retryBaseDelayMs?: number;
  /** No retry waits longer than this (the agent's `retryMaxBackoffMillis`). @defaultValue 10000 */
  readonly retryMaxDelayMs?: number;
  /** The producer's longest buffering time for a record. @defaultValue 100 */
  readonly recordMaxBufferedTimeMs?: number;
  /** A record not acknowledged this long after `put()` fails (and is reported). @defaultValue 30000 */
  readonly recordTtlMs?: number;
}

/** The complete, validated configuration of a run. */
export interface ResolvedProduceOptions extends Readonly<Required<Omit<ProduceOptions, 'multiLineStartPattern' | 'fileFooterPattern' | 'streamName' | 'deliveryStreamName'>>> {
  readonly multiLineStartPattern: string | undefined;
  readonly fileFooterPattern: string | undefined;
  /** Exactly one of `streamName` and `deliveryStreamName` is set. */
  readonly streamName: string | undefined;
  readonly deliveryStreamName: string | undefined;
}

/** Firehose's largest record: 1,000 KiB of data. */
export const FIREHOSE_MAX_RECORD_BYTES = 1_024_000;
/** Firehose's largest PutRecordBatch: 500 records, 4 MiB. */
export const FIREHOSE_MAX_BATCH_RECORDS = 500;
export const FIREHOSE_MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** The agent's largest PutRecords buffer for a Kinesis stream: 5 MiB. */
export const KINESIS_MAX_BATCH_BYTES = 5 * 1024 * 1024;

/** Every default in one place. */
export const PRODUCE_DEFAULTS = Object.freeze({
  files: Object.freeze([]) as readonly string[],
  checkpointFile: '.kinesis-toolkit-agent.checkpoints.json',
  dataProcessingOptions: Object.freeze([]) as readonly DataProcessingOption[],
  skipHeaderLines: 0,
  aggregatedRecordSizeBytes: 0,
  truncatedRecordTerminator: '\n',
  partitionKey: 'random',
  initialPosition: 'END_OF_FILE' as 'START_OF_FILE' | 'END_OF_FILE',
  pollIntervalMs: 250,
  checkpointIntervalMs: 1000,
  exitWhenDone: false,
  maxRecordBytes: 1024 * 1024 - 512,
  recordMaxBufferedTimeMs: 100,
  recordTtlMs: 30_000,
  maxBufferRecords: 500,
  maxBufferBytes: KINESIS_MAX_BATCH_BYTES,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 10_000,
});

const INTEGER_RANGES: Record<string, readonly [number, number]> = {
  skipHeaderLines: [0, 1_000_000],
  aggregatedRecordSizeBytes: [0, FIREHOSE_MAX_RECORD_BYTES],
  pollIntervalMs: [1, 3_600_000],
  checkpointIntervalMs: [0, 3_600_000],
  maxRecordBytes: [1, 10 * 1024 * 1024],
  recordMaxBufferedTimeMs: [0, 3_600_000],
  recordTtlMs: [100, Number.MAX_SAFE_INTEGER],
  maxBufferRecords: [1, 500],
  retryBaseDelayMs: [1, 3_600_000],
  retryMaxDelayMs: [1, 3_600_000],
};

const KNOWN = [...Object.keys(PRODUCE_DEFAULTS), 'streamName', 'deliveryStreamName', 'multiLineStartPattern', 'fileFooterPattern'];

/**
 * Validates the options once and fills in every default: compiles the multi-line pattern,
 * builds the processing options and parses the partition-key rule, so that a mistake shows up
 * before anything is read or sent.
 * @throws InvalidArgumentError naming the option, what was expected and what came.
 */
export function resolveProduceOptions(options: ProduceOptions): ResolvedProduceOptions {
  rejectUnknownOptions('', options, KNOWN);
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const firehose = options.deliveryStreamName !== undefined;
  const destinationDefaults = firehose
    ? { maxBufferBytes: FIREHOSE_MAX_BATCH_BYTES, maxRecordBytes: FIREHOSE_MAX_RECORD_BYTES - Buffer.byteLength(options.truncatedRecordTerminator ?? PRODUCE_DEFAULTS.truncatedRecordTerminator) }
    : {};
  const resolved = { ...PRODUCE_DEFAULTS, ...destinationDefaults, streamName: undefined, deliveryStreamName: undefined, multiLineStartPattern: undefined, fileFooterPattern: undefined, ...given } as ResolvedProduceOptions;
  if (firehose) {
    if (options.streamName !== undefined) throw new InvalidArgumentError('deliveryStreamName', 'either a stream (streamName) or a delivery stream, not both', options.deliveryStreamName);
    requireString('deliveryStreamName', resolved.deliveryStreamName, { maxLength: 64 });
  } else if (typeof resolved.streamName !== 'string' || resolved.streamName === '') {
    throw new InvalidArgumentError('streamName', 'the name of the stream to send to', options.streamName);
  }
  const maxBatchBytes = firehose ? FIREHOSE_MAX_BATCH_BYTES : KINESIS_MAX_BATCH_BYTES;
  requireInteger('maxBufferBytes', resolved.maxBufferBytes, 1, maxBatchBytes);
  requireInteger('maxRecordBytes', resolved.maxRecordBytes, 1, firehose ? FIREHOSE_MAX_RECORD_BYTES : 10 * 1024 * 1024);
  if (!Array.isArray(resolved.files) || resolved.files.some((f) => typeof f !== 'string' || f === '')) {
    throw new InvalidArgumentError('files', 'a list of file paths or glob patterns', resolved.files);
  }
  if (typeof resolved.checkpointFile !== 'string' || resolved.checkpointFile === '') {
    throw new InvalidArgumentError('checkpointFile', 'a file path', resolved.checkpointFile);
  }
  for (const [name, [min, max]] of Object.entries(INTEGER_RANGES)) {
    requireInteger(name, (resolved as unknown as Record<string, unknown>)[name], min, max);
  }
  if (!firehose && resolved.aggregatedRecordSizeBytes > 0) {
    throw new InvalidArgumentError(
      'aggregatedRecordSizeBytes',
      '0 for a Kinesis stream (records are joined into Firehose records for a delivery stream only — `kinesis-toolkit produce` sends to Kinesis streams; run a deliveryStream flow with `kinesis-toolkit agent` — and the KPL aggregates stream records itself)',
      resolved.aggregatedRecordSizeBytes,
    );
  }
  requireBoolean('exitWhenDone', resolved.exitWhenDone);
  requireOneOf('initialPosition', resolved.initialPosition, ['START_OF_FILE', 'END_OF_FILE']);
  if (typeof resolved.truncatedRecordTerminator !== 'string' || Buffer.byteLength(resolved.truncatedRecordTerminator) >= resolved.maxRecordBytes) {
    throw new InvalidArgumentError('truncatedRecordTerminator', 'a string shorter than maxRecordBytes', resolved.truncatedRecordTerminator);
  }
  if (!Array.isArray(resolved.dataProcessingOptions)) {
    throw new InvalidArgumentError('dataProcessingOptions', 'a list like [{"optionName":"SINGLELINE"}]', resolved.dataProcessingOptions);
  }
  buildConverters(resolved.dataProcessingOptions);
  if (typeof resolved.partitionKey !== 'string') throw new InvalidArgumentError('partitionKey', 'random, deterministic or field:NAME', resolved.partitionKey);
  new PartitionKeyStrategy(PartitionKeyStrategy.parse(resolved.partitionKey));
  if (resolved.retryMaxDelayMs < resolved.retryBaseDelayMs) throw new InvalidArgumentError('retryMaxDelayMs', `at least retryBaseDelayMs (${resolved.retryBaseDelayMs})`, resolved.retryMaxDelayMs);
  if (resolved.multiLineStartPattern !== undefined) compileStartPattern(resolved.multiLineStartPattern);
  if (resolved.fileFooterPattern !== undefined) {
    compilePattern('fileFooterPattern', resolved.fileFooterPattern);
    // A footer ends a tailed file; stdin has no footer to wait for (it ends at EOF), so the pattern would do nothing.
    if (resolved.files.length === 0) throw new InvalidArgumentError('fileFooterPattern', 'set with files to tail (a footer line ends a file; stdin ends at its EOF)', resolved.fileFooterPattern);
  }
  return Object.freeze({ ...resolved, files: Object.freeze([...resolved.files]) });
}

/**
 * Compiles a `multiLineStartPattern`.
 * @throws InvalidArgumentError when it is empty or not a regular expression.
 */
export function compileStartPattern(source: string): RegExp {
  return compilePattern('multiLineStartPattern', source);
}

/**
 * Compiles the regular expression of option `name` (`multiLineStartPattern`, `fileFooterPattern`).
 * @throws InvalidArgumentError naming the option when it is empty or not a regular expression.
 */
export function compilePattern(name: string, source: string): RegExp {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch (error) {
    throw new InvalidArgumentError(name, `a regular expression (${(error as Error).message})`, source);
  }
  if (source === '') throw new InvalidArgumentError(name, 'a regular expression', source);
  return pattern;
}
