/**
 * The producer's own CPU per user record, with an instant in-process client (no network, no
 * emulator: what is measured is this process's work, GC included), on 100 B records with random
 * 16-character keys. Rounds alternate the contenders (who goes first rotates); figures are
 * medians of per-round ratios, all from the same run.
 *
 * 1. The limiter not binding (`rateLimitPercent` 1,000,000): ours — `put()` with 'drain'
 *    backpressure, then `close()` — against aws-kinesis-agg's `aggregate()` plus a PutRecords
 *    loop on the same records (theirs); ours with `preserveOrder` (its cost); ours through
 *    `createWriteStream()` (a reference); ours through `putMany()`, 1,000 records a call; and the
 *    floor (`floorRun.ts`): only the steps a producer that answers each record cannot skip, by
 *    put() and by putMany() — what any design of ours could at best reach.
 * 2. The limiter binding: 2 shards at the default `rateLimitPercent` (150: 1.5 MiB/s each), with
 *    1,000 and with 50,000 records outstanding (`maxOutstandingRecords`): whether a record costs
 *    more when many wait (timer ticks that walk what is outstanding would make it so); with
 *    `preserveOrder` too. `recordMaxBufferedTimeMs` 20, so that 1,000 outstanding records are
 *    enough to keep the limiter busy (a record waits in the pipeline about that long).
 *
 * Targets are printed, never enforced; a record not acknowledged fails the run.
 *
 *   npm run bench -- hotpath
 *   BENCH_HOTPATH_RECORDS=400000 BENCH_HOTPATH_ROUNDS=9 npm run bench -- hotpath
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import awsKinesisAggPackage from 'aws-kinesis-agg/package.json';
import { describeEnvironment, formatRate, formatTable, positiveIntegerFromEnv, quantile } from '../../../scripts/bench-harness';
import { RecordFactory } from '../../../scripts/RecordFactory';
import { DATA_BYTES, KEY_LENGTH, seconds } from './benchSupport';
import { runOurs, runTheirs, THEIR_LOOP, type CpuRun } from './cpuRun';
import { runFloor } from './floorRun';

const RECORDS = positiveIntegerFromEnv('BENCH_HOTPATH_RECORDS', 200_000);
const ROUNDS = positiveIntegerFromEnv('BENCH_HOTPATH_ROUNDS', 7);
const LIMITED_RECORDS = positiveIntegerFromEnv('BENCH_OUTSTANDING_RECORDS', 150_000);
const LIMITED_ROUNDS = positiveIntegerFromEnv('BENCH_OUTSTANDING_ROUNDS', 3);

/** Ours should cost at most 1/1.5 of theirs per user record. */
const CPU_TARGET = 1.5;
/** A record at 50,000 outstanding should cost at most 1.2× one at 1,000. */
const OUTSTANDING_TARGET = 1.2;
const SHARDS = 8;
const UNLIMITED = 1_000_000;
const LIMITED_SHARDS = 2;
const LIMITED_RATE_PERCENT = 150;
const LIMITED_BUFFERED_TIME_MS = 20;
const OUTSTANDING = [1_000, 50_000] as const;

interface Contender {
  readonly name: string;
  readonly run: () => Promise<CpuRun>;
}

/** Runs every contender once per round, rotating who goes first; returns each one's runs. */
async function rounds(contenders: readonly Contender[], count: number, label: string): Promise<CpuRun[][]> {
  const runs: CpuRun[][] = contenders.map(() => []);
  for (let round = 0; round < count; round++) {
    const order = contenders.map((_, i) => (i + round) % contenders.length);
    const line: string[] = [];
    for (const i of order) {
      const run = await contenders[i]!.run();
      runs[i]!.push(run);
      line.push(`${contenders[i]!.name} ${run.cpuUsPerRecord.toFixed(2)} µs`);
    }
    console.log(`  ${label} round ${round + 1}: ${line.join(', ')}`);
  }
  return runs;
}

/** Median over rounds of a/b, each taken within one round. */
function medianRatio(a: readonly CpuRun[], b: readonly CpuRun[]): { median: number; low: number; high: number } {
  const ratios = a.map((run, i) => run.cpuUsPerRecord / b[i]!.cpuUsPerRecord);
  return { median: quantile(ratios, 0.5), low: quantile(ratios, 0.25), high: quantile(ratios, 0.75) };
}

const median = (runs: readonly CpuRun[], value: (run: CpuRun) => number): number => quantile(runs.map(value), 0.5);
const range = (ratio: { median: number; low: number; high: number }, digits = 2): string =>
  `${ratio.median.toFixed(digits)}× (${ratio.low.toFixed(digits)}–${ratio.high.toFixed(digits)})`;

async function cpuSection(): Promise<string> {
  console.log(`\n[1/2] CPU per user record, limiter lifted: ${RECORDS.toLocaleString('en-US')} records × ${ROUNDS} rounds, ${SHARDS} instant shards`);
  const records = new RecordFactory(DATA_BYTES, KEY_LENGTH, 1).many(RECORDS);
  const contenders: Contender[] = [
    { name: 'ours', run: () => runOurs(records, SHARDS, { rateLimitPercent: UNLIMITED }) },
    { name: 'theirs', run: () => runTheirs(records, SHARDS) },
    { name: 'ours+preserveOrder', run: () => runOurs(records, SHARDS, { rateLimitPercent: UNLIMITED, preserveOrder: true }) },
    { name: 'ours-stream', run: () => runOurs(records, SHARDS, { rateLimitPercent: UNLIMITED }, 'stream') },
    { name: 'ours-putMany', run: () => runOurs(records, SHARDS, { rateLimitPercent: UNLIMITED }, 'putMany') },
    { name: 'floor-put', run: () => runFloor(records, SHARDS, 'put') },
    { name: 'floor-putMany', run: () => runFloor(records, SHARDS, 'putMany') },
  ];
  const [ours, theirs, ordered, stream, many, floorPut, floorMany] = await rounds(contenders, ROUNDS, 'cpu');
  // Speed is the inverse of cost: theirs' µs per record ÷ ours'.
  const speed = (runs: readonly CpuRun[]) => {
    const ratio = medianRatio(theirs!, runs);
    return ratio;
  };
  const oursSpeed = speed(ours!);
  const manySpeed = speed(many!);
  const preserveOrderCost = medianRatio(ordered!, ours!);
  const rows = [
    ['ours: put(), defaults, limiter lifted', ours!, range(speed(ours!))],
    [`theirs: aws-kinesis-agg ${awsKinesisAggPackage.version} aggregate() + PutRecords loop`, theirs!, '1.00×'],
    ['ours, preserveOrder: true', ordered!, range(speed(ordered!))],
    ['ours: createWriteStream() (reference)', stream!, range(speed(stream!))],
    ['ours: putMany(), 1,000 records a call', many!, range(manySpeed)],
    ['floor: the unavoidable steps only, a promise per record (floorRun.ts)', floorPut!, range(speed(floorPut!))],
    ['floor: the unavoidable steps only, per 1,000-record call', floorMany!, range(speed(floorMany!))],
  ] as const;
  const floorPutSpeed = speed(floorPut!);
  const floorManySpeed = speed(floorMany!);
  return [
    `1. Producer CPU per user record, instant client, limiter not binding: ${RECORDS.toLocaleString('en-US')} records of ${DATA_BYTES} B, random ${KEY_LENGTH}-char keys, ${SHARDS} shards; medians of ${ROUNDS} rounds`,
    '',
    formatTable(
      ['contender', 'CPU µs/record', 'user rec/s (CPU)', 'wall s', 'speed vs theirs (IQR)'],
      rows.map(([label, runs, ratio]) => [
        label,
        median(runs, (run) => run.cpuUsPerRecord).toFixed(2),
        formatRate(1e6 / median(runs, (run) => run.cpuUsPerRecord)),
        seconds(median(runs, (run) => run.wallMs)),
        ratio,
      ]),
    ),
    '',
    `ours vs theirs: ${oursSpeed.median.toFixed(2)}× less CPU per record; target ≥ ${CPU_TARGET}× → ${oursSpeed.median >= CPU_TARGET ? 'PASS' : 'BELOW'}`,
    `ours by putMany() vs theirs: ${manySpeed.median.toFixed(2)}×; target ≥ ${CPU_TARGET}× → ${manySpeed.median >= CPU_TARGET ? 'PASS' : 'BELOW'}`,
    `floor (validate, hash to a shard, aggregate, collect, answer each record; nothing else): ${floorPutSpeed.median.toFixed(2)}× by put(), ${floorManySpeed.median.toFixed(2)}× by putMany() — ` +
      `${floorManySpeed.median < CPU_TARGET ? `the floor itself is below the ${CPU_TARGET}× target` : `the floor reaches the ${CPU_TARGET}× target`}`,
    `cost of preserveOrder: ${range(preserveOrderCost)} the CPU per record of ours without it (limiter lifted, random keys)`,
    `theirs: their loop batches aggregates into PutRecords of ≤ ${THEIR_LOOP.maxEntriesPerRequest} entries and ≤ 5 MiB, ${THEIR_LOOP.maxConcurrentRequests} in flight.`,
  ].join('\n');
}

async function outstandingSection(): Promise<string> {
  console.log(
    `\n[2/2] CPU per user record with the limiter binding: ${LIMITED_RECORDS.toLocaleString('en-US')} records × ${LIMITED_ROUNDS} rounds, ` +
      `${LIMITED_SHARDS} shards at rateLimitPercent ${LIMITED_RATE_PERCENT}, recordMaxBufferedTimeMs ${LIMITED_BUFFERED_TIME_MS}, maxOutstandingRecords ${OUTSTANDING.join(' and ')}`,
  );
  const records = new RecordFactory(DATA_BYTES, KEY_LENGTH, 2).many(LIMITED_RECORDS);
  const contenders: Contender[] = [];
  for (const preserveOrder of [false, true]) {
    for (const maxOutstandingRecords of OUTSTANDING) {
      contenders.push({
        name: `${maxOutstandingRecords}${preserveOrder ? '+order' : ''}`,
        run: () =>
          runOurs(records, LIMITED_SHARDS, { rateLimitPercent: LIMITED_RATE_PERCENT, recordMaxBufferedTimeMs: LIMITED_BUFFERED_TIME_MS, maxOutstandingRecords, preserveOrder }),
      });
    }
  }
  const runs = await rounds(contenders, LIMITED_ROUNDS, 'limited');
  const rows = contenders.map((contender, i) => {
    const own = runs[i]!;
    return [
      contender.name.replace('+order', ', preserveOrder'),
      median(own, (run) => run.cpuUsPerRecord).toFixed(2),
      String(median(own, (run) => run.medianOutstanding ?? 0)),
      formatRate((LIMITED_RECORDS * 1000) / median(own, (run) => run.wallMs)),
      seconds(median(own, (run) => run.wallMs)),
    ];
  });
  const growth = medianRatio(runs[1]!, runs[0]!);
  const orderedGrowth = medianRatio(runs[3]!, runs[2]!);
  return [
    `2. CPU per user record on rate-limited shards (${LIMITED_SHARDS} shards at ${LIMITED_RATE_PERCENT}% of 1 MiB/s, recordMaxBufferedTimeMs ${LIMITED_BUFFERED_TIME_MS}), by records outstanding; medians of ${LIMITED_ROUNDS} rounds`,
    '',
    formatTable(['maxOutstandingRecords', 'CPU µs/record', 'outstanding (median)', 'user rec/s (wall)', 'wall s'], rows),
    '',
    `cost per record at 50,000 ÷ at 1,000: ${range(growth)}; target ≤ ${OUTSTANDING_TARGET}× → ${growth.median <= OUTSTANDING_TARGET ? 'PASS' : 'ABOVE'}`,
    `with preserveOrder: ${range(orderedGrowth)}`,
    `user rec/s (wall): equal rows mean the limiter, not the outstanding bound, set the pace.`,
  ].join('\n');
}

async function main(): Promise<void> {
  console.log(`hot-path bench: @kinesis-toolkit/kpl KinesisProducer CPU with an instant in-process client, vs aws-kinesis-agg ${awsKinesisAggPackage.version}`);
  console.log(describeEnvironment());
  const startedAt = performance.now();
  const sections = [await cpuSection(), await outstandingSection()];
  for (const section of sections) console.log(`\n${section}`);
  console.log(`\nCPU: this process's user + system time (GC threads included) ÷ user records, from the first put to close().`);
  console.log(`total bench time ${seconds(performance.now() - startedAt)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
