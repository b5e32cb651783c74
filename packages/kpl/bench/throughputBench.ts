/**
 * Benchmark 1, pipeline throughput: the same records through `KinesisProducer.put()` (ours) and
 * through aws-kinesis-agg's `aggregate()` plus a hand-written PutRecords loop (theirs), into
 * kinesalite, alternating on fresh streams; medians and per-round ratios from the same run.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { UserRecordInput } from '@kinesis-toolkit/aggregation';
import { KinesisProducer, PRODUCER_DEFAULTS, type ProducerOptions } from '@kinesis-toolkit/kpl';
import { createKinesisClient, createStream, uniqueName } from '@kinesis-toolkit/testing';
import awsKinesisAggPackage from 'aws-kinesis-agg/package.json';
import { formatRate, formatTable, quantile } from '../../../scripts/bench-harness';
import {
  check,
  CLOSE_TIMEOUT_MS,
  closeWithin,
  DATA_BYTES,
  deleteStream,
  gc,
  KEY_LENGTH,
  MiB,
  percent,
  seconds,
  SHARD_BYTES_PER_SECOND,
  shardMapOf,
  type BenchContext,
} from './benchSupport';
import { feedWithDrain, Settlements, type FeedStats } from './feedProducer';
import { cpuShare } from '../../../scripts/LocalStackProcess';
import { PutRecordsCounter } from './PutRecordsCounter';
import { putWithAwsKinesisAgg, type TheirLoopOptions } from './putWithAwsKinesisAgg';
import { readStream, type StreamContents } from './readStream';
import { RecordFactory } from '../../../scripts/RecordFactory';

/** Ours should move user records at least this many times faster than theirs. */
const THROUGHPUT_TARGET = 1.5;
const SHARDS = 8;
/** Their loop: what a careful user writes around aws-kinesis-agg. */
const THEIR_LOOP: TheirLoopOptions = { maxEntriesPerRequest: 500, maxBytesPerRequest: 5 * MiB, maxConcurrentRequests: 8, maxAttempts: 3 };

/**
 * `ours` runs with the defaults; `ours-unlimited` (a reference, not a contender) lifts the
 * per-shard rate limiter out of the way, to show what the pipeline itself can do: kinesalite has
 * no shard limits, and with the defaults ours never sends a shard more than `rateLimitPercent` of
 * 1 MiB/s.
 */
type Contender = 'ours' | 'theirs' | 'ours-unlimited' | 'ours-unlimited-cbor' | 'ours-1mib';
type OurContender = Exclude<Contender, 'theirs'>;
const CONTENDERS: readonly Contender[] = ['ours', 'theirs', 'ours-unlimited', 'ours-unlimited-cbor', 'ours-1mib'];
/** The largest `rateLimitPercent` the producer accepts: its limiter never binds. */
const UNLIMITED_RATE_PERCENT = 1_000_000;

const CONTENDER_LABELS: Record<Contender, string> = {
  ours: `ours: KinesisProducer.put(), defaults (rateLimitPercent ${PRODUCER_DEFAULTS.rateLimitPercent})`,
  theirs: `theirs: aws-kinesis-agg ${awsKinesisAggPackage.version} aggregate() + PutRecords loop`,
  'ours-unlimited': `reference: ours, rateLimitPercent ${UNLIMITED_RATE_PERCENT} (limiter lifted)`,
  'ours-unlimited-cbor': `reference: ours, limiter lifted, wireProtocol 'cbor' (@kinesis-toolkit/wire)`,
  'ours-1mib': `reference: ours, limiter lifted, aggregationMaxBytes 1 MiB (theirs' size)`,
};

/** Each of our contenders' options over the defaults. */
const OUR_OPTIONS: Record<OurContender, Partial<ProducerOptions>> = {
  ours: {},
  'ours-unlimited': { rateLimitPercent: UNLIMITED_RATE_PERCENT },
  // The same over CBOR (kinesalite, as the local stack fixes it, reads CBOR writes as AWS does).
  'ours-unlimited-cbor': { rateLimitPercent: UNLIMITED_RATE_PERCENT, wireProtocol: 'cbor' },
  // aws-kinesis-agg fills 1 MiB aggregates; the KPL allows the same (aggregationMaxBytes ≤ 1 MiB).
  'ours-1mib': { rateLimitPercent: UNLIMITED_RATE_PERCENT, aggregationMaxBytes: MiB },
};

/** Sizes of the benchmark. */
export interface ThroughputSizes {
  /** User records per run. */
  readonly records: number;
  /** Runs per contender. */
  readonly rounds: number;
}

interface PipelineRun {
  readonly contender: Contender;
  readonly round: number;
  readonly elapsedMs: number;
  readonly counter: PutRecordsCounter;
  /** kinesalite's CPU over the run, as a share of one core. */
  readonly emulatorCpu: number;
  /** This process's CPU time (user + system) over the run, in ms. */
  readonly cpuMs: number;
  readonly contents: StreamContents | undefined;
  readonly feed?: FeedStats;
}

/** What {@link runThroughputBench} measured. */
export interface ThroughputResult {
  readonly sizes: ThroughputSizes;
  readonly runs: readonly PipelineRun[];
}

async function runOurs(
  { stack, admin }: BenchContext,
  records: readonly UserRecordInput[],
  contender: OurContender,
  round: number,
  readBack: boolean,
): Promise<PipelineRun> {
  const streamName = uniqueName('bench-ours');
  await createStream(admin, streamName, SHARDS);
  const client = createKinesisClient(stack.endpoint, { maxAttempts: 1 });
  const counter = PutRecordsCounter.attach(client);
  const options: ProducerOptions = { streamName, kinesisClient: client };
  const producer = new KinesisProducer({ ...options, ...OUR_OPTIONS[contender] });
  await shardMapOf(producer);
  const settlements = new Settlements();
  gc?.();
  const hostBefore = await stack.usage();
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  let index = 0;
  const feed = await feedWithDrain(producer, () => records[index++], settlements);
  const closed = await closeWithin(producer, CLOSE_TIMEOUT_MS);
  const elapsedMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  const hostAfter = await stack.usage();
  client.destroy();
  const name = `${contender}, round ${round}`;
  check(closed, `${name}: close() did not finish within ${CLOSE_TIMEOUT_MS} ms; ${settlements.settled} of ${records.length} puts settled`);
  check(feed.puts === records.length, `${name}: fed ${feed.puts} of ${records.length} records`);
  check(settlements.succeeded === records.length, `${name}: ${settlements.succeeded} of ${records.length} puts resolved; failures: ${settlements.describeFailures()}`);
  const contents = readBack ? await readStream(admin, streamName) : undefined;
  await deleteStream(admin, streamName);
  return { contender, round, elapsedMs, counter, emulatorCpu: cpuShare(hostBefore, hostAfter), cpuMs: (cpu.user + cpu.system) / 1000, contents, feed };
}

async function runTheirs({ stack, admin }: BenchContext, records: readonly UserRecordInput[], round: number, readBack: boolean): Promise<PipelineRun> {
  const streamName = uniqueName('bench-theirs');
  await createStream(admin, streamName, SHARDS);
  // A user's client: the SDK's default retries.
  const client: KinesisClient = createKinesisClient(stack.endpoint);
  const counter = PutRecordsCounter.attach(client);
  gc?.();
  const hostBefore = await stack.usage();
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const outcome = await putWithAwsKinesisAgg(records, client, streamName, THEIR_LOOP);
  const elapsedMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  const hostAfter = await stack.usage();
  client.destroy();
  check(outcome.lostAggregates === 0, `theirs, round ${round}: ${outcome.lostAggregates} aggregates given up after ${THEIR_LOOP.maxAttempts} sends`);
  check(counter.failedEntries === 0, `theirs, round ${round}: FailedRecordCount summed to ${counter.failedEntries}`);
  const contents = readBack ? await readStream(admin, streamName) : undefined;
  await deleteStream(admin, streamName);
  return { contender: 'theirs', round, elapsedMs, counter, emulatorCpu: cpuShare(hostBefore, hostAfter), cpuMs: (cpu.user + cpu.system) / 1000, contents };
}

function describeRun(run: PipelineRun, recordCount: number): string {
  const { counter } = run;
  const parts = [
    `${formatRate((recordCount * 1000) / run.elapsedMs)} rec/s`,
    `${seconds(run.elapsedMs)} s`,
    `${counter.storedEntries} Kinesis records in ${counter.requests} PutRecords`,
    `kinesalite CPU ${percent(run.emulatorCpu, 0)}`,
  ];
  if (run.feed !== undefined) parts.push(`backpressure waits ${run.feed.waits} ('drain' missing ${run.feed.drainMissing})`);
  if (run.contents !== undefined) parts.push(`read back ${run.contents.userRecords + run.contents.outOfRange} user records (${run.contents.outOfRange} outside their shard's range)`);
  return parts.join(', ');
}

/** Runs every round, printing each run as it ends; fails when a contender loses or changes records. */
export async function runThroughputBench(context: BenchContext, sizes: ThroughputSizes): Promise<ThroughputResult> {
  console.log(
    `\n[1/3] pipeline throughput: ${sizes.records.toLocaleString('en-US')} records × ${sizes.rounds} rounds of ours, theirs (and the limiter-lifted reference), ${SHARDS} shards`,
  );
  const records = new RecordFactory(DATA_BYTES, KEY_LENGTH, 1).many(sizes.records);
  const runs: PipelineRun[] = [];
  for (let round = 1; round <= sizes.rounds; round++) {
    // Each contender's stream is read back in the first round; later rounds are checked by the answers.
    const readBack = round === 1;
    for (const contender of CONTENDERS) {
      const run = contender === 'theirs' ? await runTheirs(context, records, round, readBack) : await runOurs(context, records, contender, round, readBack);
      if (run.contents !== undefined) {
        const found = run.contents.userRecords + run.contents.outOfRange;
        check(found === records.length, `${contender}, round ${round}: the stream holds ${found} user records, expected ${records.length}`);
        check(run.contents.dataBytes === records.length * DATA_BYTES, `${contender}, round ${round}: the stream holds ${run.contents.dataBytes} data bytes`);
      }
      runs.push(run);
      console.log(`  round ${round} ${contender.padEnd(14)} ${describeRun(run, records.length)}`);
    }
  }
  return { sizes, runs };
}

/** The results table, the ratio against the target, and what the columns mean. */
export function describeThroughput({ sizes, runs }: ThroughputResult): string {
  const recordCount = sizes.records;
  const median = (contender: Contender, value: (run: PipelineRun) => number): number =>
    quantile(
      runs.filter((run) => run.contender === contender).map(value),
      0.5,
    );
  /** Per round, theirs' time ÷ the contender's: its user records/s over theirs. */
  const ratiosAgainstTheirs = (contender: Contender): number[] =>
    runs
      .filter((run) => run.contender === contender)
      .map((run) => runs.find((other) => other.contender === 'theirs' && other.round === run.round)!.elapsedMs / run.elapsedMs);
  const rows = CONTENDERS.map((contender) => {
    const elapsedMs = median(contender, (run) => run.elapsedMs);
    const entries = median(contender, (run) => run.counter.storedEntries);
    const read = runs.find((run) => run.contender === contender && run.contents !== undefined)?.contents;
    return [
      CONTENDER_LABELS[contender],
      formatRate((recordCount * 1000) / elapsedMs),
      formatRate((entries * 1000) / elapsedMs),
      String(Math.round(median(contender, (run) => run.counter.requests))),
      (recordCount / entries).toFixed(1),
      ((median(contender, (run) => run.counter.bytes) / elapsedMs / 1e6) * 1000).toFixed(1),
      contender === 'theirs' ? '1.00×' : `${quantile(ratiosAgainstTheirs(contender), 0.5).toFixed(2)}×`,
      percent(median(contender, (run) => run.emulatorCpu), 0),
      ((median(contender, (run) => run.cpuMs) * 1000) / recordCount).toFixed(2),
      seconds(elapsedMs),
      read === undefined ? '-' : `${read.userRecords + read.outOfRange} (${percent(read.outOfRange / recordCount, 0)} out of range)`,
    ];
  });
  const ratios = ratiosAgainstTheirs('ours');
  const ratio = quantile(ratios, 0.5);
  // What the default limiter lets through: every shard at rateLimitPercent of 1 MiB/s, in the bytes ours sends per user record.
  const bytesPerUserRecord = median('ours', (run) => run.counter.bytes) / recordCount;
  const ceiling = (SHARDS * SHARD_BYTES_PER_SECOND * PRODUCER_DEFAULTS.rateLimitPercent) / 100 / bytesPerUserRecord;
  return [
    `1. Pipeline throughput: ${recordCount.toLocaleString('en-US')} records of ${DATA_BYTES} B into kinesalite, ${SHARDS} shards; medians of ${sizes.rounds} alternating runs each`,
    '',
    formatTable(
      ['contender', 'user rec/s', 'Kinesis rec/s', 'PutRecords', 'user/Kinesis rec', 'MB/s sent', 'vs theirs', 'kinesalite CPU', 'CPU here µs/rec', 'time s', 'read back, round 1'],
      rows,
    ),
    '',
    `ours/theirs (user records/s): ${ratio.toFixed(2)}×, median of rounds [${ratios.map((r) => `${r.toFixed(2)}×`).join(', ')}]; ` +
      `target ≥ ${THROUGHPUT_TARGET}× → ${ratio >= THROUGHPUT_TARGET ? 'PASS' : 'BELOW'}`,
    `ours' rate-limiter ceiling here: ${SHARDS} shards × ${PRODUCER_DEFAULTS.rateLimitPercent}% × 1 MiB/s ÷ ${bytesPerUserRecord.toFixed(0)} B sent per user record ` +
      `= ${formatRate(ceiling)} user rec/s (plus each shard's first burst)`,
    '',
    `ours: put() with hasCapacity/'drain' backpressure, then close(); timed from the first put (the shard map already listed) to close().`,
    `reference: the same with the per-shard rate limiter lifted — kinesalite enforces no shard limits; real Kinesis would throttle it.`,
    `theirs: aggregate(records, handler, done, onError) with a handler that batches aggregates into PutRecords of ≤ ${THEIR_LOOP.maxEntriesPerRequest} entries`,
    `and ≤ ${THEIR_LOOP.maxBytesPerRequest / MiB} MiB, ${THEIR_LOOP.maxConcurrentRequests} in flight, one client (SDK default retries), failed entries resent up to ${THEIR_LOOP.maxAttempts} times.`,
    `out of range: user records inside an aggregate stored on a shard that does not own their hash key (a KCL consumer drops them).`,
    `CPU here: this process's CPU per user record (the producer's own; kinesalite runs elsewhere). Producer CPU per user record, CBOR ÷ JSON (limiter lifted): ` +
      `${((median('ours-unlimited-cbor', (run) => run.cpuMs) / median('ours-unlimited', (run) => run.cpuMs)) * 100).toFixed(0)}%.`,
  ].join('\n');
}
