/**
 * KinesisProducer end to end, against a real Kinesis protocol server (kinesalite):
 *
 * 1. Pipeline throughput — N records of 100 B with random keys through `put()` into 8 shards,
 *    against aws-kinesis-agg's `aggregate()` plus a hand-written PutRecords loop, alternating
 *    on fresh streams; medians and the ratio ours/theirs from the same run.
 * 2. Shard utilisation at the real limits — a ShardLimitProxy (1 MiB/s, 1,000 records/s per
 *    shard) in front of kinesalite, 4 shards, the producer at full speed for D seconds, at the
 *    default `rateLimitPercent` and at 100.
 * 3. Memory — many records as fast as the write stream takes them, `maxOutstandingBytes` 64 MiB,
 *    peak RSS sampled every 100 ms.
 *
 * kinesalite (and the proxy) run in a child process, so this process's CPU and RSS are the
 * contender's own. Targets are printed, never enforced; a lost record fails the run.
 *
 *   npm run bench -- kpl
 *   BENCH_RECORDS=1000000 BENCH_UTIL_SECONDS=20 BENCH_MEMORY_RECORDS=2000000 npm run bench -- kpl
 */
// Before any SDK client exists: the SDK's Node 20 deprecation notice is noise in a results table.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteStreamCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { UserRecordInput } from '@kinesis-toolkit/aggregation';
import { KinesisProducer, PRODUCER_DEFAULTS, type ProducerOptions } from '@kinesis-toolkit/kpl';
import { createKinesisClient, createStream, uniqueName, type ShardLimitProxyStats, type ShardTraffic } from '@kinesis-toolkit/testing';
import awsKinesisAggPackage from 'aws-kinesis-agg/package.json';
import {
  describeEnvironment,
  formatMebibytes,
  formatRate,
  formatTable,
  positiveIntegerFromEnv,
  quantile,
} from '../../../scripts/bench-harness';
import { feedWithDrain, Settlements, type FeedStats } from './feedProducer';
import { cpuShare, LocalStackProcess } from './LocalStackProcess';
import { PutRecordsCounter } from './PutRecordsCounter';
import { putWithAwsKinesisAgg, type TheirLoopOptions } from './putWithAwsKinesisAgg';
import { readStream, type StreamContents } from './readStream';
import { RecordFactory } from './RecordFactory';
import { RssSampler } from './RssSampler';

const MiB = 1024 * 1024;
const SHARD_BYTES_PER_SECOND = MiB;
const DATA_BYTES = 100;
const KEY_LENGTH = 16;

/** Ours should move user records at least this many times faster than theirs. */
const THROUGHPUT_TARGET = 1.5;
/** Each shard should accept at least this share of its 1 MiB/s. */
const UTILISATION_TARGET = 0.9;
/** At most this share of PutRecords entries should come back throttled. */
const THROTTLED_TARGET = 0.02;
const PEAK_RSS_TARGET_BYTES = 300 * MiB;

const THROUGHPUT_SHARDS = 8;
const UTILISATION_SHARDS = 4;
const MEMORY_SHARDS = 8;
/** Records per contender run: sized so the whole file stays near three minutes on the 2-core machine. */
const RECORDS = positiveIntegerFromEnv('BENCH_RECORDS', 250_000);
/** Runs per contender, alternating ours, theirs, ours, theirs… */
const ROUNDS = positiveIntegerFromEnv('BENCH_ROUNDS', 2);
const UTILISATION_SECONDS = positiveIntegerFromEnv('BENCH_UTIL_SECONDS', 20);
/** Full speed before the utilisation window opens: the buckets' one-second bursts are spent. */
const UTILISATION_WARMUP_SECONDS = 3;
const MEMORY_RECORDS = positiveIntegerFromEnv('BENCH_MEMORY_RECORDS', 2_000_000);
const MEMORY_MAX_OUTSTANDING_BYTES = 64 * MiB;
const RSS_SAMPLE_MS = 100;
/** How long a producer may take to settle everything after its feeder stops. */
const CLOSE_TIMEOUT_MS = PRODUCER_DEFAULTS.recordTtlMs + 15_000;

/** Their loop: what a careful user writes around aws-kinesis-agg. */
const THEIR_LOOP: TheirLoopOptions = { maxEntriesPerRequest: 500, maxBytesPerRequest: 5 * MiB, maxConcurrentRequests: 8, maxAttempts: 3 };

type Gc = () => void;
const gc = (globalThis as { gc?: Gc }).gc;

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`check failed: ${message}`);
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const percent = (share: number, digits = 1): string => `${(share * 100).toFixed(digits)}%`;

/** Resolves when `producer` has its first shard map (ListShards answered). */
async function shardMapOf(producer: KinesisProducer): Promise<void> {
  const startedAt = performance.now();
  while (producer.shardMap === undefined) {
    if (performance.now() - startedAt > 10_000) throw new Error('the producer has no shard map after 10 s');
    await sleep(2);
  }
}

/** Closes `producer`; resolves with whether `close()` finished within `timeoutMs`. */
async function closeWithin(producer: KinesisProducer, timeoutMs: number): Promise<boolean> {
  const controller = new AbortController();
  const timedOut = sleep(timeoutMs, false, { signal: controller.signal }).catch(() => false);
  try {
    return await Promise.race([producer.close().then(() => true), timedOut]);
  } finally {
    controller.abort();
  }
}

async function deleteStream(admin: KinesisClient, streamName: string): Promise<void> {
  await admin.send(new DeleteStreamCommand({ StreamName: streamName })).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// 1. Pipeline throughput

type Contender = 'ours' | 'theirs';

interface PipelineRun {
  readonly contender: Contender;
  readonly round: number;
  readonly elapsedMs: number;
  readonly counter: PutRecordsCounter;
  /** Host (kinesalite) CPU, share of one core, over the run. */
  readonly emulatorCpu: number;
  readonly contents: StreamContents | undefined;
  readonly feed?: FeedStats;
}

async function runOurs(stack: LocalStackProcess, admin: KinesisClient, records: readonly UserRecordInput[], round: number, readBack: boolean): Promise<PipelineRun> {
  const streamName = uniqueName('bench-ours');
  await createStream(admin, streamName, THROUGHPUT_SHARDS);
  const client = createKinesisClient(stack.endpoint, { maxAttempts: 1 });
  const counter = PutRecordsCounter.attach(client);
  const producer = new KinesisProducer({ streamName, kinesisClient: client });
  await shardMapOf(producer);
  const settlements = new Settlements();
  gc?.();
  const hostBefore = await stack.usage();
  const startedAt = performance.now();
  let index = 0;
  const feed = await feedWithDrain(producer, () => records[index++], settlements);
  const closed = await closeWithin(producer, CLOSE_TIMEOUT_MS);
  const elapsedMs = performance.now() - startedAt;
  const hostAfter = await stack.usage();
  client.destroy();
  check(closed, `ours, round ${round}: close() did not finish within ${CLOSE_TIMEOUT_MS} ms; ${settlements.settled} of ${records.length} puts settled`);
  check(feed.puts === records.length, `ours, round ${round}: fed ${feed.puts} of ${records.length} records`);
  check(
    settlements.succeeded === records.length,
    `ours, round ${round}: ${settlements.succeeded} of ${records.length} puts resolved; failures: ${settlements.describeFailures()}`,
  );
  const contents = readBack ? await readStream(admin, streamName) : undefined;
  await deleteStream(admin, streamName);
  return { contender: 'ours', round, elapsedMs, counter, emulatorCpu: cpuShare(hostBefore, hostAfter), contents, feed };
}

async function runTheirs(stack: LocalStackProcess, admin: KinesisClient, records: readonly UserRecordInput[], round: number, readBack: boolean): Promise<PipelineRun> {
  const streamName = uniqueName('bench-theirs');
  await createStream(admin, streamName, THROUGHPUT_SHARDS);
  // A user's client: the SDK's default retries.
  const client = createKinesisClient(stack.endpoint);
  const counter = PutRecordsCounter.attach(client);
  gc?.();
  const hostBefore = await stack.usage();
  const startedAt = performance.now();
  const outcome = await putWithAwsKinesisAgg(records, client, streamName, THEIR_LOOP);
  const elapsedMs = performance.now() - startedAt;
  const hostAfter = await stack.usage();
  client.destroy();
  check(outcome.lostAggregates === 0, `theirs, round ${round}: ${outcome.lostAggregates} aggregates given up after ${THEIR_LOOP.maxAttempts} sends`);
  check(counter.failedEntries === 0, `theirs, round ${round}: FailedRecordCount summed to ${counter.failedEntries}`);
  const contents = readBack ? await readStream(admin, streamName) : undefined;
  await deleteStream(admin, streamName);
  return { contender: 'theirs', round, elapsedMs, counter, emulatorCpu: cpuShare(hostBefore, hostAfter), contents };
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

interface ThroughputResult {
  readonly runs: readonly PipelineRun[];
  readonly recordCount: number;
}

async function benchThroughput(stack: LocalStackProcess, admin: KinesisClient): Promise<ThroughputResult> {
  console.log(`\n[1/3] pipeline throughput: ${RECORDS.toLocaleString('en-US')} records × ${ROUNDS} rounds per contender, ${THROUGHPUT_SHARDS} shards`);
  const records = new RecordFactory(DATA_BYTES, KEY_LENGTH, 1).many(RECORDS);
  const runs: PipelineRun[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Every stream is read back once per contender (the first round); the other rounds are checked by the answers.
    for (const contender of ['ours', 'theirs'] as const) {
      const run = contender === 'ours' ? await runOurs(stack, admin, records, round, round === 1) : await runTheirs(stack, admin, records, round, round === 1);
      if (run.contents !== undefined) {
        const found = run.contents.userRecords + run.contents.outOfRange;
        check(found === records.length, `${contender}, round ${round}: the stream holds ${found} user records, expected ${records.length}`);
        check(run.contents.dataBytes === records.length * DATA_BYTES, `${contender}, round ${round}: the stream holds ${run.contents.dataBytes} data bytes`);
      }
      runs.push(run);
      console.log(`  round ${round} ${contender.padEnd(6)} ${describeRun(run, records.length)}`);
    }
  }
  return { runs, recordCount: records.length };
}

function throughputTable({ runs, recordCount }: ThroughputResult): string {
  const median = (contender: Contender, value: (run: PipelineRun) => number): number =>
    quantile(
      runs.filter((run) => run.contender === contender).map(value),
      0.5,
    );
  const ratios = runs
    .filter((run) => run.contender === 'ours')
    .map((ours) => {
      const theirs = runs.find((run) => run.contender === 'theirs' && run.round === ours.round)!;
      return theirs.elapsedMs / ours.elapsedMs;
    });
  const ratio = quantile(ratios, 0.5);
  const rows = (['ours', 'theirs'] as const).map((contender) => {
    const elapsedMs = median(contender, (run) => run.elapsedMs);
    const entries = median(contender, (run) => run.counter.storedEntries);
    const requests = median(contender, (run) => run.counter.requests);
    const read = runs.find((run) => run.contender === contender && run.contents !== undefined)?.contents;
    return [
      contender === 'ours' ? 'ours: KinesisProducer.put()' : `theirs: aws-kinesis-agg ${awsKinesisAggPackage.version} + PutRecords loop`,
      formatRate((recordCount * 1000) / elapsedMs),
      formatRate((entries * 1000) / elapsedMs),
      String(Math.round(requests)),
      (recordCount / entries).toFixed(1),
      ((median(contender, (run) => run.counter.bytes) / elapsedMs) * 1000 / 1e6).toFixed(1),
      percent(median(contender, (run) => run.emulatorCpu), 0),
      seconds(elapsedMs),
      read === undefined ? '-' : `${read.userRecords + read.outOfRange}, ${percent(read.outOfRange / recordCount, 0)} out of range`,
    ];
  });
  const table = formatTable(
    ['contender', 'user rec/s', 'Kinesis rec/s', 'PutRecords', 'user/Kinesis rec', 'MB/s sent', 'kinesalite CPU', 'time s', 'read back (round 1)'],
    rows,
  );
  const roundRatios = ratios.map((r) => `${r.toFixed(2)}×`).join(', ');
  return `${table}\n\nours/theirs (user records/s): ${ratio.toFixed(2)}× median of rounds [${roundRatios}]; target ≥ ${THROUGHPUT_TARGET}× → ${ratio >= THROUGHPUT_TARGET ? 'PASS' : 'BELOW'}`;
}

// ---------------------------------------------------------------------------------------------
// 2. Shard utilisation through the ShardLimitProxy

interface UtilisationResult {
  readonly rateLimitPercent: number;
  readonly windowMs: number;
  /** Accepted bytes/s per shard over the window, as a share of 1 MiB/s, in shard order. */
  readonly shardShares: readonly number[];
  readonly throttledInWarmup: number;
  readonly throttledInWindow: number;
  /** From the feeder's stop to the end of `close()`. */
  readonly throttledAfter: number;
  readonly throttledOverall: number;
  readonly userRecordsPerSec: number;
  readonly puts: number;
  readonly settlements: Settlements;
  readonly lost: number;
  readonly feed: FeedStats;
  readonly emulatorCpu: number;
  readonly closeMs: number;
}

function trafficOf(stats: ShardLimitProxyStats, streamName: string): Record<string, ShardTraffic> {
  return stats.streams[streamName] ?? {};
}

const throttledShare = (accepted: number, throttled: number): number => (accepted + throttled === 0 ? 0 : throttled / (accepted + throttled));

async function runUtilisation(stack: LocalStackProcess, admin: KinesisClient, rateLimitPercent: number): Promise<UtilisationResult> {
  const proxyEndpoint = await stack.startProxy(1);
  const streamName = uniqueName(`bench-util-${rateLimitPercent}`);
  await createStream(admin, streamName, UTILISATION_SHARDS);
  const client = createKinesisClient(proxyEndpoint, { maxAttempts: 1 });
  const producer = new KinesisProducer({ streamName, kinesisClient: client, rateLimitPercent });
  await shardMapOf(producer);
  const factory = new RecordFactory(DATA_BYTES, KEY_LENGTH, rateLimitPercent);
  const settlements = new Settlements();
  gc?.();

  const startedAt = performance.now();
  const windowOpensAt = startedAt + UTILISATION_WARMUP_SECONDS * 1000;
  const stopAt = windowOpensAt + UTILISATION_SECONDS * 1000;
  const feeding = feedWithDrain(producer, () => factory.next(), settlements, () => performance.now() >= stopAt);

  await sleep(windowOpensAt - performance.now());
  const [statsAtOpen, hostAtOpen] = await Promise.all([stack.proxyStats(), stack.usage()]);
  const openedAt = performance.now();
  const succeededAtOpen = settlements.succeeded;
  await sleep(Math.max(0, stopAt - performance.now()));
  const [statsAtClose, hostAtClose] = await Promise.all([stack.proxyStats(), stack.usage()]);
  const windowMs = performance.now() - openedAt;
  const succeededInWindow = settlements.succeeded - succeededAtOpen;

  const feed = await feeding;
  const closingAt = performance.now();
  await closeWithin(producer, CLOSE_TIMEOUT_MS);
  const closeMs = performance.now() - closingAt;
  // Let the last settlement callbacks run.
  await sleep(0);
  const statsAtEnd = await stack.proxyStats();
  client.destroy();
  await stack.stopProxy();
  await deleteStream(admin, streamName);

  const open = trafficOf(statsAtOpen, streamName);
  const close = trafficOf(statsAtClose, streamName);
  const end = trafficOf(statsAtEnd, streamName);
  const shardIds = Object.keys(end).sort();
  const shardShares = shardIds.map((shardId) => {
    const bytes = (close[shardId]?.bytesAccepted ?? 0) - (open[shardId]?.bytesAccepted ?? 0);
    return bytes / (windowMs / 1000) / SHARD_BYTES_PER_SECOND;
  });
  const sum = (traffic: Record<string, ShardTraffic>, field: 'recordsAccepted' | 'recordsThrottled'): number =>
    Object.values(traffic).reduce((total, shard) => total + shard[field], 0);
  return {
    rateLimitPercent,
    windowMs,
    shardShares,
    throttledInWarmup: throttledShare(sum(open, 'recordsAccepted'), sum(open, 'recordsThrottled')),
    throttledInWindow: throttledShare(sum(close, 'recordsAccepted') - sum(open, 'recordsAccepted'), sum(close, 'recordsThrottled') - sum(open, 'recordsThrottled')),
    throttledAfter: throttledShare(sum(end, 'recordsAccepted') - sum(close, 'recordsAccepted'), sum(end, 'recordsThrottled') - sum(close, 'recordsThrottled')),
    throttledOverall: throttledShare(sum(end, 'recordsAccepted'), sum(end, 'recordsThrottled')),
    userRecordsPerSec: (succeededInWindow * 1000) / windowMs,
    puts: feed.puts,
    settlements,
    lost: feed.puts - settlements.settled,
    feed,
    emulatorCpu: cpuShare(hostAtOpen, hostAtClose),
    closeMs,
  };
}

async function benchUtilisation(stack: LocalStackProcess, admin: KinesisClient): Promise<UtilisationResult[]> {
  console.log(
    `\n[2/3] shard utilisation through ShardLimitProxy (scale 1): ${UTILISATION_SHARDS} shards, ${UTILISATION_WARMUP_SECONDS} s warm-up + ${UTILISATION_SECONDS} s window per setting`,
  );
  const results: UtilisationResult[] = [];
  for (const rateLimitPercent of [PRODUCER_DEFAULTS.rateLimitPercent, 100]) {
    const result = await runUtilisation(stack, admin, rateLimitPercent);
    results.push(result);
    console.log(
      `  rateLimitPercent ${rateLimitPercent}: shards ${result.shardShares.map((share) => percent(share, 0)).join(' ')} of 1 MiB/s, ` +
        `throttled ${percent(result.throttledInWarmup, 2)} (warm-up) ${percent(result.throttledInWindow, 2)} (window) ${percent(result.throttledAfter, 2)} (close) ${percent(result.throttledOverall, 2)} (run), ` +
        `${result.puts} puts, ${result.settlements.succeeded} ok, failed: ${result.settlements.describeFailures()}, lost ${result.lost}, ` +
        `close() ${seconds(result.closeMs)} s, waits ${result.feed.waits} ('drain' missing ${result.feed.drainMissing}), kinesalite+proxy CPU ${percent(result.emulatorCpu, 0)}`,
    );
  }
  return results;
}

function utilisationTable(results: readonly UtilisationResult[]): string {
  const shardCount = Math.max(...results.map((result) => result.shardShares.length));
  const header = ['rateLimitPercent'];
  for (let i = 0; i < shardCount; i++) header.push(`shard ${i}`);
  header.push('min', 'throttled (window)', 'throttled (run)', 'user rec/s acked', 'puts', 'failed by class', 'lost', 'verdict');
  const rows = results.map((result) => {
    const min = Math.min(...result.shardShares);
    const pass = min >= UTILISATION_TARGET && result.throttledInWindow <= THROTTLED_TARGET && result.lost === 0;
    return [
      String(result.rateLimitPercent) + (result.rateLimitPercent === PRODUCER_DEFAULTS.rateLimitPercent ? ' (default)' : ''),
      ...result.shardShares.map((share) => percent(share, 0)),
      percent(min, 0),
      percent(result.throttledInWindow, 2),
      percent(result.throttledOverall, 2),
      formatRate(result.userRecordsPerSec),
      String(result.puts),
      result.settlements.describeFailures(),
      String(result.lost),
      pass ? 'PASS' : 'BELOW',
    ];
  });
  return (
    formatTable(header, rows) +
    `\n\nshard n: accepted bytes/s (data + partition key, as the proxy charges) ÷ 1 MiB/s over the ${seconds(results[0]?.windowMs ?? 0)} s window.` +
    `\nthrottled: entries answered ProvisionedThroughputExceededException ÷ entries sent. lost: puts never settled.` +
    `\ntargets: every shard ≥ ${percent(UTILISATION_TARGET, 0)}, throttled ≤ ${percent(THROTTLED_TARGET, 0)} (window), lost 0.`
  );
}

// ---------------------------------------------------------------------------------------------
// 3. Memory

interface MemoryResult {
  readonly label: string;
  readonly records: number;
  readonly elapsedMs: number;
  readonly baselineRss: number;
  readonly peakRss: number;
  readonly peakOutstandingRecords: number;
  readonly peakOutstandingBytes: number;
  readonly settlements: Settlements;
}

function* generate(factory: RecordFactory, count: number): Generator<UserRecordInput> {
  for (let i = 0; i < count; i++) yield factory.next();
}

async function runMemory(stack: LocalStackProcess, admin: KinesisClient, label: string, options: Partial<ProducerOptions>): Promise<MemoryResult> {
  const streamName = uniqueName('bench-memory');
  await createStream(admin, streamName, MEMORY_SHARDS);
  const client = createKinesisClient(stack.endpoint, { maxAttempts: 1 });
  const producer = new KinesisProducer({ streamName, kinesisClient: client, maxOutstandingBytes: MEMORY_MAX_OUTSTANDING_BYTES, ...options });
  await shardMapOf(producer);
  const factory = new RecordFactory(DATA_BYTES, KEY_LENGTH, 3);
  const settlements = new Settlements();
  gc?.();
  await sleep(50);
  gc?.();
  const baselineRss = process.memoryUsage.rss();
  let peakOutstandingRecords = 0;
  let peakOutstandingBytes = 0;
  const sampler = new RssSampler(RSS_SAMPLE_MS);
  const outstanding = setInterval(() => {
    peakOutstandingRecords = Math.max(peakOutstandingRecords, producer.outstandingRecords);
    peakOutstandingBytes = Math.max(peakOutstandingBytes, producer.outstandingBytes);
  }, RSS_SAMPLE_MS);
  sampler.start();
  const startedAt = performance.now();
  await pipeline(
    Readable.from(generate(factory, MEMORY_RECORDS)),
    producer.createWriteStream({
      highWaterMark: 1000,
      onSettled: (_record, error) => (error === undefined ? settlements.onSuccess(undefined!) : settlements.onFailure(error)),
    }),
  );
  const elapsedMs = performance.now() - startedAt;
  const { peakBytes } = sampler.stop();
  clearInterval(outstanding);
  await producer.close();
  client.destroy();
  await deleteStream(admin, streamName);
  check(settlements.succeeded === MEMORY_RECORDS, `memory, ${label}: ${settlements.succeeded} of ${MEMORY_RECORDS} records succeeded; failures: ${settlements.describeFailures()}`);
  return { label, records: MEMORY_RECORDS, elapsedMs, baselineRss, peakRss: peakBytes, peakOutstandingRecords, peakOutstandingBytes, settlements };
}

async function benchMemory(stack: LocalStackProcess, admin: KinesisClient): Promise<MemoryResult[]> {
  console.log(`\n[3/3] memory: ${MEMORY_RECORDS.toLocaleString('en-US')} records through createWriteStream(), maxOutstandingBytes 64 MiB (run first, in a fresh heap)`);
  const results = [await runMemory(stack, admin, 'maxOutstandingBytes 64 MiB', {})];
  for (const result of results) {
    console.log(
      `  ${result.label}: ${formatRate((result.records * 1000) / result.elapsedMs)} rec/s, ${seconds(result.elapsedMs)} s, ` +
        `RSS ${formatMebibytes(result.baselineRss)} → peak ${formatMebibytes(result.peakRss)} MiB, peak outstanding ${result.peakOutstandingRecords} records / ${formatMebibytes(result.peakOutstandingBytes)} MiB`,
    );
  }
  return results;
}

function memoryTable(results: readonly MemoryResult[]): string {
  return formatTable(
    ['setting', 'records', 'rec/s', 'time s', 'baseline RSS MiB', 'peak RSS MiB', 'peak − baseline', 'peak outstanding', 'target', 'verdict'],
    results.map((result) => [
      result.label,
      result.records.toLocaleString('en-US'),
      formatRate((result.records * 1000) / result.elapsedMs),
      seconds(result.elapsedMs),
      formatMebibytes(result.baselineRss),
      formatMebibytes(result.peakRss),
      formatMebibytes(result.peakRss - result.baselineRss),
      `${result.peakOutstandingRecords} rec / ${formatMebibytes(result.peakOutstandingBytes)} MiB`,
      `≤ ${formatMebibytes(PEAK_RSS_TARGET_BYTES)} MiB`,
      result.peakRss <= PEAK_RSS_TARGET_BYTES ? 'PASS' : 'BELOW',
    ]),
  );
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`producer bench: @kinesis-toolkit/kpl KinesisProducer (ours) vs aws-kinesis-agg ${awsKinesisAggPackage.version} + PutRecords loop (theirs)`);
  console.log(describeEnvironment());
  console.log(
    `records: ${DATA_BYTES} B data, random ${KEY_LENGTH}-char partition keys; kinesalite and the ShardLimitProxy run in a child process.` +
      `\nsizes (env): BENCH_RECORDS=${RECORDS} BENCH_ROUNDS=${ROUNDS} BENCH_UTIL_SECONDS=${UTILISATION_SECONDS} BENCH_MEMORY_RECORDS=${MEMORY_RECORDS}`,
  );
  const benchStartedAt = performance.now();
  const stack = await LocalStackProcess.start();
  const admin = createKinesisClient(stack.endpoint);
  try {
    // Memory first, while this process's heap holds nothing else.
    const memory = await benchMemory(stack, admin);
    const throughput = await benchThroughput(stack, admin);
    const utilisation = await benchUtilisation(stack, admin);

    console.log(`\n1. Pipeline throughput: ${RECORDS.toLocaleString('en-US')} records of ${DATA_BYTES} B into kinesalite, ${THROUGHPUT_SHARDS} shards; medians of ${ROUNDS} alternating runs each\n`);
    console.log(throughputTable(throughput));
    console.log(
      `\nours: put() with hasCapacity/'drain' backpressure, then close(); timed from the first put (the shard map already listed) to close().` +
        `\ntheirs: aggregate(records, handler, done, onError) with a handler that batches aggregates into PutRecords of ≤ ${THEIR_LOOP.maxEntriesPerRequest} entries` +
        `\nand ≤ ${THEIR_LOOP.maxBytesPerRequest / MiB} MiB, ${THEIR_LOOP.maxConcurrentRequests} in flight, one client (SDK default retries), failed entries resent up to ${THEIR_LOOP.maxAttempts} times.` +
        `\nout of range: user records inside an aggregate stored on a shard that does not own their hash key (a KCL consumer drops them).`,
    );
    console.log(`\n2. Shard utilisation at real limits (ShardLimitProxy, scale 1): ${UTILISATION_SHARDS} shards, ${DATA_BYTES} B records at full speed, maxAttempts 1\n`);
    console.log(utilisationTable(utilisation));
    console.log(`\n3. Memory: records of ${DATA_BYTES} B as fast as createWriteStream() takes them, into kinesalite (${MEMORY_SHARDS} shards); RSS sampled every ${RSS_SAMPLE_MS} ms\n`);
    console.log(memoryTable(memory));
    console.log(`\ntotal bench time ${seconds(performance.now() - benchStartedAt)} s`);
  } finally {
    admin.destroy();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
