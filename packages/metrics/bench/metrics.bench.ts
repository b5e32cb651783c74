/**
 * What metrics cost: the same work with metrics off and with every metric on — DETAILED, the
 * KPL at SHARD granularity, the KCL with every dimension — published each second either to an EMF
 * sink (`emf`: lines formatted, then discarded; the CloudWatch sink sends the same per-interval
 * aggregates) or to an OpenTelemetry SDK MeterProvider (`otel`: a periodic reader into an
 * in-memory exporter), against kinesalite and dynalite in a child process. The modes alternate
 * (who goes first rotates); each round's ratio is mode ÷ off of the same round.
 *
 * 1. Producer throughput: N user records (100 B, random keys) through `KinesisProducer.put()`
 *    into 8 shards, the rate limiter lifted (kinesalite has no shard limits), until `close()`.
 * 2. Consumer catch-up: a backlog of N aggregated user records on 4 shards read from TRIM_HORIZON
 *    by a Worker (a fresh application each run) until every record was handed over.
 *
 * Target: metrics cost ≤ 5 % of each (printed, never enforced).
 *
 *   npm run bench -- metrics
 *   BENCH_METRICS_RECORDS=500000 BENCH_METRICS_ROUNDS=4 npm run bench -- metrics
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { DeleteStreamCommand } from '@aws-sdk/client-kinesis';
import { EmfSink, MetricsRecorder, OpenTelemetrySink } from '@kinesis-toolkit/core';
import { DynamoDBLeaseStore, Worker, type ProcessRecordsInput, type RecordProcessor } from '@kinesis-toolkit/kcl';
import { KinesisProducer } from '@kinesis-toolkit/kpl';
import { createDynamoDBClient, createKinesisClient, createStream, uniqueName } from '@kinesis-toolkit/testing';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { check, describeEnvironment, formatRate, formatTable, gc, positiveIntegerFromEnv, quantile } from '../../../scripts/bench-harness';
import { LocalStackProcess } from '../../../scripts/LocalStackProcess';
import { RecordFactory } from '../../../scripts/RecordFactory';
import { writeBacklog } from '../../../scripts/writeBacklog';
import { closeWithin, shardMapOf } from '../../kpl/bench/benchSupport';
import { feedWithDrain, Settlements } from '../../kpl/bench/feedProducer';

const RECORDS = positiveIntegerFromEnv('BENCH_METRICS_RECORDS', 300_000);
const ROUNDS = positiveIntegerFromEnv('BENCH_METRICS_ROUNDS', 4);
/** Metrics should cost at most this share of throughput / catch-up time. */
const COST_TARGET = 0.05;
const PRODUCER_SHARDS = 8;
const CONSUMER_SHARDS = 4;
const CATCH_UP_TIMEOUT_MS = 180_000;
/** Which parts run (comma-separated: producer, consumer). */
const PARTS = (process.env.BENCH_METRICS_PARTS ?? 'producer,consumer').split(',');

/**
 * `off`: no metrics option at all. `emf`: core's metrics layer publishing to an EMF sink (the
 * per-interval aggregates the CloudWatch sink also sends). `otel`: the layer with an OpenTelemetry
 * SDK MeterProvider behind the OpenTelemetrySink (histograms recorded per observation).
 */
type Mode = 'off' | 'emf' | 'otel';
const MODES: readonly Mode[] = ['off', 'emf', 'otel'];

/** The mode's sink, publishing each second. */
function metricsOn(mode: Exclude<Mode, 'off'>): { recorder: MetricsRecorder; close: () => Promise<number> } {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 1000 })] });
  let emfLines = 0;
  const recorder = new MetricsRecorder({
    intervalMs: 1000,
    sinks: [mode === 'emf' ? new EmfSink({ write: () => void emfLines++ }) : new OpenTelemetrySink({ meterProvider })],
  });
  return {
    recorder,
    close: async () => {
      await recorder.close();
      await meterProvider.shutdown();
      return emfLines;
    },
  };
}

interface Run {
  readonly mode: Mode;
  readonly round: number;
  readonly elapsedMs: number;
  readonly cpuMs: number;
  readonly emfLines: number;
}

async function producerRun(stack: LocalStackProcess, mode: Mode, round: number, records: RecordFactory): Promise<Run> {
  const admin = createKinesisClient(stack.endpoint);
  const streamName = uniqueName('bench-metrics-kpl');
  await createStream(admin, streamName, PRODUCER_SHARDS);
  const client = createKinesisClient(stack.endpoint, { maxAttempts: 1 });
  const metrics = mode === 'off' ? undefined : metricsOn(mode);
  const producer = new KinesisProducer({
    streamName,
    kinesisClient: client,
    rateLimitPercent: 1_000_000,
    ...(metrics !== undefined ? { metrics: metrics.recorder, metricsLevel: 'DETAILED', metricsGranularity: 'SHARD' } : {}),
  });
  try {
    await shardMapOf(producer);
    const settlements = new Settlements();
    const source = records.many(RECORDS);
    gc?.();
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    let index = 0;
    await feedWithDrain(producer, () => source[index++], settlements);
    check(await closeWithin(producer, 120_000), 'the producer did not close within 120 s');
    const elapsedMs = performance.now() - startedAt;
    const cpu = process.cpuUsage(cpuBefore);
    const emfLines = (await metrics?.close()) ?? 0;
    check(settlements.succeeded === RECORDS, `producer (${mode}): ${settlements.succeeded} of ${RECORDS} succeeded; failures: ${settlements.describeFailures()}`);
    return { mode, round, elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000, emfLines };
  } finally {
    await admin.send(new DeleteStreamCommand({ StreamName: streamName })).catch(() => undefined);
    admin.destroy();
    client.destroy();
  }
}

class CountingProcessor implements RecordProcessor {
  constructor(private readonly onRecords: (count: number) => void) {}
  async processRecords(input: ProcessRecordsInput): Promise<void> {
    this.onRecords(input.records.length);
    await input.checkpointer.checkpoint();
  }
  async shardEnded({ checkpointer }: Parameters<RecordProcessor['shardEnded']>[0]): Promise<void> {
    await checkpointer.checkpoint();
  }
}

async function consumerRun(stack: LocalStackProcess, streamName: string, expected: number, mode: Mode, round: number): Promise<Run> {
  const kinesis = createKinesisClient(stack.endpoint);
  const dynamo = createDynamoDBClient(stack.dynamodbEndpoint);
  const applicationName = uniqueName('bench-metrics-kcl');
  await new DynamoDBLeaseStore(dynamo, { tableName: applicationName, tableActivePollIntervalMs: 20 }).ensureTable();
  const metrics = mode === 'off' ? undefined : metricsOn(mode);
  let delivered = 0;
  let caughtUp!: (atMs: number) => void;
  const done = new Promise<number>((resolve) => (caughtUp = resolve));
  const worker = new Worker({
    streamName,
    applicationName,
    kinesisClient: kinesis,
    dynamoClient: dynamo,
    initialPosition: 'TRIM_HORIZON',
    idleTimeBetweenReadsMs: 200,
    wireProtocol: 'json',
    processorFactory: () =>
      new CountingProcessor((count) => {
        delivered += count;
        if (delivered >= expected) caughtUp(performance.now());
      }),
    ...(metrics !== undefined ? { metrics: metrics.recorder, metricsLevel: 'DETAILED' as const } : {}),
  });
  try {
    gc?.();
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    await worker.start();
    let timer: NodeJS.Timeout | undefined;
    const caughtUpAt = await Promise.race([done, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`catch-up (${mode}) took over ${CATCH_UP_TIMEOUT_MS} ms`)), CATCH_UP_TIMEOUT_MS)))]);
    clearTimeout(timer);
    const cpu = process.cpuUsage(cpuBefore);
    await worker.shutdown();
    const emfLines = (await metrics?.close()) ?? 0;
    check(delivered === expected, `consumer (${mode}): ${delivered} user records delivered, expected ${expected}`);
    return { mode, round, elapsedMs: caughtUpAt - startedAt, cpuMs: (cpu.user + cpu.system) / 1000, emfLines };
  } finally {
    await worker.shutdown();
    kinesis.destroy();
    dynamo.destroy();
  }
}

async function alternate(run: (mode: Mode, round: number) => Promise<Run>): Promise<Run[]> {
  // A warm-up pair, not counted: the JIT, the connection pools and the emulators' first tables.
  for (const mode of MODES) await run(mode, -1);
  const runs: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < MODES.length; k++) runs.push(await run(MODES[(round + k) % MODES.length]!, round));
  }
  return runs;
}

/** Per round, mode ÷ off − 1 of the elapsed time (or of this process's CPU time): the share metrics added. */
function costs(runs: readonly Run[], mode: Mode, of: (run: Run) => number = (run) => run.elapsedMs): number[] {
  const out: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const off = runs.find((run) => run.round === round && run.mode === 'off');
    const on = runs.find((run) => run.round === round && run.mode === mode);
    if (off !== undefined && on !== undefined) out.push(of(on) / of(off) - 1);
  }
  return out;
}

const pct = (share: number): string => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)}%`;

function describe(title: string, runs: readonly Run[]): string {
  const median = (values: readonly number[]) => quantile(values, 0.5);
  const rows = MODES.map((mode) => {
    const mine = runs.filter((run) => run.mode === mode);
    const ms = median(mine.map((run) => run.elapsedMs));
    return [mode, (ms / 1000).toFixed(2), formatRate(RECORDS / (ms / 1000)), ((median(mine.map((run) => run.cpuMs)) * 1000) / RECORDS).toFixed(1), String(median(mine.map((run) => run.emfLines)))];
  });
  const lines = [title, formatTable(['metrics', 'time s (median)', 'user rec/s', 'CPU here µs/rec', 'EMF lines'], rows)];
  for (const mode of MODES.filter((m) => m !== 'off')) {
    const c = costs(runs, mode);
    const cost = median(c);
    lines.push(
      `${mode}: time cost (${mode} ÷ off − 1, per round) median ${pct(cost)} (q1–q3 ${pct(quantile(c, 0.25))} – ${pct(quantile(c, 0.75))}; rounds ${c.map(pct).join(', ')})` +
        ` — target ≤ ${pct(COST_TARGET)}: ${cost <= COST_TARGET ? 'met' : 'NOT met'}; this process's CPU: median ${pct(median(costs(runs, mode, (run) => run.cpuMs)))}`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  console.log('metrics bench: metrics off vs DETAILED (KPL at SHARD granularity, KCL every dimension), published each second to EMF (emf) or to an OpenTelemetry SDK (otel)');
  console.log(describeEnvironment());
  console.log(`sizes (env): BENCH_METRICS_RECORDS=${RECORDS} BENCH_METRICS_ROUNDS=${ROUNDS} BENCH_METRICS_PARTS=${PARTS.join(',')}`);
  const stack = await LocalStackProcess.start();
  const admin = createKinesisClient(stack.endpoint);
  const backlogStream = uniqueName('bench-metrics-backlog');
  try {
    const factory = new RecordFactory(100, 16, 20261207);
    if (PARTS.includes('producer')) {
      const producer = await alternate((mode, round) => producerRun(stack, mode, round, factory));
      console.log(`\n${describe(`1. producer throughput: ${RECORDS} user records, ${PRODUCER_SHARDS} shards`, producer)}`);
    }
    if (PARTS.includes('consumer')) {
      await createStream(admin, backlogStream, CONSUMER_SHARDS);
      const backlog = await writeBacklog(admin, backlogStream, new RecordFactory(100, 16, 7).many(RECORDS), 50 * 1024);
      const consumer = await alternate((mode, round) => consumerRun(stack, backlogStream, backlog.userRecords, mode, round));
      console.log(`\n${describe(`2. consumer catch-up: ${backlog.userRecords} user records in ${backlog.aggregates} aggregates, ${CONSUMER_SHARDS} shards, Worker from TRIM_HORIZON`, consumer)}`);
    }
  } finally {
    await admin.send(new DeleteStreamCommand({ StreamName: backlogStream })).catch(() => undefined);
    admin.destroy();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
