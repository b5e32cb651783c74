/**
 * The producer's per-shard rate limiter — a records/s and a bytes/s token bucket from core
 * (`src/ratelimit/ShardBudget.ts`, core's `TokenBucket` twice) — against `bottleneck`, the library the issue suggested, set up
 * as a token bucket the way its documentation describes (reservoir + reservoirIncrease*), one
 * limiter for records and one for bytes per shard.
 *
 * 1. Hot path: the cost of admitting Kinesis records when the limit does not bind (what every
 *    record pays), interleaved rounds, medians.
 * 2. At the limit: one shard at 1,000 records/s and 1 MiB/s, offered 3× that for a few seconds of
 *    wall time — records admitted per second, and the busiest one-second window (Kinesis meters a
 *    shard per second; what goes over is throttled).
 *
 *   npm run bench -- ratelimit
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import Bottleneck from 'bottleneck';
import bottleneckPackage from 'bottleneck/package.json';
import { setTimeout as sleep } from 'node:timers/promises';
import { SYSTEM_CLOCK } from '@kinesis-toolkit/core';
import { ShardBudget } from '../src/ratelimit/ShardBudget';
import { compare, describeEnvironment, formatRate, formatRatio, formatTable, positiveIntegerFromEnv, seededRandom } from '../../../scripts/bench-harness';

const SHARDS = 8;
/** Kinesis records admitted per hot-path call, across the shards. */
const BATCH = 100;
const LIMIT_SECONDS = positiveIntegerFromEnv('BENCH_RATELIMIT_SECONDS', 4);
const RECORDS_PER_SECOND = 1000;
const BYTES_PER_SECOND = 1024 * 1024;
/** Offered load in the at-the-limit run: 3× the record limit, 1 KiB records. */
const OFFERED_PER_SECOND = 3 * RECORDS_PER_SECOND;
const RECORD_BYTES = 1024;
/** Bottleneck refills its reservoir on an interval; 100 ms is fine-grained for it. */
const REFILL_INTERVAL_MS = 100;
/** Both hold 0.2 s of their rate, as the producer's bucket does. */
const BURST_SECONDS = 0.2;

/** A bottleneck token bucket of `perSecond` with a 0.2 s burst. */
function bottleneckBucket(perSecond: number): Bottleneck {
  const capacity = Math.max(1, Math.round(perSecond * BURST_SECONDS));
  return new Bottleneck({
    reservoir: capacity,
    reservoirIncreaseAmount: Math.max(1, Math.round((perSecond * REFILL_INTERVAL_MS) / 1000)),
    reservoirIncreaseInterval: REFILL_INTERVAL_MS,
    reservoirIncreaseMaximum: capacity,
  });
}

/** Records and bytes limiters of one shard; a record is admitted when both let it through. */
class BottleneckShard {
  readonly records: Bottleneck;
  readonly bytes: Bottleneck;
  constructor(recordsPerSecond: number, bytesPerSecond: number) {
    this.records = bottleneckBucket(recordsPerSecond);
    this.bytes = bottleneckBucket(bytesPerSecond);
  }
  admit(bytes: number): Promise<void> {
    return this.bytes.schedule({ weight: bytes }, () => this.records.schedule({ weight: 1 }, async () => undefined));
  }
  async stop(): Promise<void> {
    await Promise.all([this.records.stop({ dropWaitingJobs: true }), this.bytes.stop({ dropWaitingJobs: true })]);
  }
}

async function hotPath(): Promise<string> {
  const random = seededRandom(7);
  const sizes = Array.from({ length: 4096 }, () => 1 + Math.floor(random() * 50 * 1024));
  const shardOf = Array.from({ length: 4096 }, () => Math.floor(random() * SHARDS));
  // Rates so high that nothing ever waits: only the bookkeeping is measured.
  const ours = Array.from({ length: SHARDS }, () => new ShardBudget(1e12, 1e15, SYSTEM_CLOCK));
  const theirs = Array.from({ length: SHARDS }, () => new BottleneckShard(1e9, 1e12));
  let next = 0;
  const comparison = await compare(
    {
      candidate: {
        name: 'ShardBudget',
        run: () => {
          let admitted = 0;
          for (let i = 0; i < BATCH; i++, next = (next + 1) & 4095) if (ours[shardOf[next]!]!.tryTake(sizes[next]!)) admitted++;
          if (admitted !== BATCH) throw new Error(`ShardBudget refused ${BATCH - admitted} records below its rate`);
        },
      },
      baseline: {
        name: 'bottleneck',
        run: () => {
          const admissions: Promise<void>[] = [];
          for (let i = 0; i < BATCH; i++, next = (next + 1) & 4095) admissions.push(theirs[shardOf[next]!]!.admit(sizes[next]!));
          return Promise.all(admissions);
        },
      },
    },
    { rounds: 15, roundMs: 60, warmupMs: 600 },
  );
  await Promise.all(theirs.map((shard) => shard.stop()));
  const perRecordNs = (callsPerSec: number) => ((1e9 / callsPerSec) / BATCH).toFixed(0);
  return [
    `1. Hot path: admitting Kinesis records (1 B–50 KiB, ${SHARDS} shards) when the limit does not bind; ${BATCH} per call, medians of 15 interleaved rounds`,
    '',
    formatTable(
      ['limiter', 'records admitted/s', 'ns per record', 'vs bottleneck (q1–q3)'],
      [
        ['ShardBudget (ours: core TokenBucket × 2, records + bytes, synchronous)', formatRate(comparison.candidate.callsPerSec * BATCH), perRecordNs(comparison.candidate.callsPerSec), formatRatio(comparison.candidate)],
        [`bottleneck ${bottleneckPackage.version} (a records and a bytes limiter, schedule())`, formatRate(comparison.baselineCallsPerSec * BATCH), perRecordNs(comparison.baselineCallsPerSec), '1.00×'],
      ],
    ),
  ].join('\n');
}

interface LimitRun {
  readonly admittedAt: number[];
}

/** Our bucket, driven as the producer drives it: take while it lets you, else wait `waitMs`. */
async function ourLimitRun(): Promise<LimitRun> {
  const bucket = new ShardBudget(RECORDS_PER_SECOND, BYTES_PER_SECOND, SYSTEM_CLOCK);
  const admittedAt: number[] = [];
  const start = performance.now();
  let offered = 0;
  for (;;) {
    const now = performance.now() - start;
    if (now >= LIMIT_SECONDS * 1000) break;
    // Records arrive at the offered rate; the backlog waits for the bucket.
    const arrived = Math.floor((now / 1000) * OFFERED_PER_SECOND) - offered;
    let took = 0;
    while (took < arrived && bucket.tryTake(RECORD_BYTES)) {
      admittedAt.push(performance.now() - start);
      took++;
    }
    offered += took;
    await sleep(Math.max(1, took < arrived ? bucket.waitMs(RECORD_BYTES) : 1));
  }
  return { admittedAt };
}

/** Bottleneck, offered the same load: every arriving record is scheduled at once. */
async function theirLimitRun(): Promise<LimitRun> {
  const shard = new BottleneckShard(RECORDS_PER_SECOND, BYTES_PER_SECOND);
  const admittedAt: number[] = [];
  const start = performance.now();
  let offered = 0;
  while (performance.now() - start < LIMIT_SECONDS * 1000) {
    const arrived = Math.floor(((performance.now() - start) / 1000) * OFFERED_PER_SECOND);
    for (; offered < arrived; offered++) {
      shard.admit(RECORD_BYTES).then(
        () => admittedAt.push(performance.now() - start),
        () => undefined, // dropped at stop()
      );
    }
    await sleep(1);
  }
  await shard.stop();
  return { admittedAt: admittedAt.filter((at) => at < LIMIT_SECONDS * 1000) };
}

/** The most records in any one-second window, and the admitted rate after the first second. */
function describeRun(run: LimitRun): { steadyPerSecond: number; busiestSecond: number; busiestAfterFirst: number } {
  const times = run.admittedAt;
  let busiestSecond = 0;
  let busiestAfterFirst = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    busiestSecond = Math.max(busiestSecond, i - j + 1);
    if (times[j]! >= 1000) busiestAfterFirst = Math.max(busiestAfterFirst, i - j + 1);
  }
  const steady = times.filter((at) => at >= 1000).length / (LIMIT_SECONDS - 1);
  return { steadyPerSecond: steady, busiestSecond, busiestAfterFirst };
}

async function atTheLimit(): Promise<string> {
  const ours = describeRun(await ourLimitRun());
  const theirs = describeRun(await theirLimitRun());
  const row = (name: string, result: ReturnType<typeof describeRun>) => [
    name,
    result.steadyPerSecond.toFixed(0),
    `${((result.steadyPerSecond / RECORDS_PER_SECOND) * 100).toFixed(1)}%`,
    String(result.busiestSecond),
    String(result.busiestAfterFirst),
  ];
  return [
    `2. At the limit: one shard, ${RECORDS_PER_SECOND} records/s and 1 MiB/s, ${RECORD_BYTES} B records offered at ${OFFERED_PER_SECOND}/s for ${LIMIT_SECONDS} s of wall time`,
    '',
    formatTable(
      ['limiter', 'admitted/s after 1st s', 'of the limit', 'busiest 1-s window', 'busiest after 1st s'],
      [row('ShardBudget (ours, core TokenBucket, continuous refill)', ours), row(`bottleneck (reservoir +${REFILL_INTERVAL_MS} ms refills)`, theirs)],
    ),
    '',
    `Both hold ${BURST_SECONDS} s of the rate, so the first second may carry ${Math.round(RECORDS_PER_SECOND * (1 + BURST_SECONDS))}; after it, a window over ${RECORDS_PER_SECOND} is what Kinesis throttles.`,
  ].join('\n');
}

async function main(): Promise<void> {
  console.log(`rate limiter bench: the producer's ShardBudget (core TokenBucket × 2) vs bottleneck ${bottleneckPackage.version}`);
  console.log(describeEnvironment());
  const sections = [await hotPath(), await atTheLimit()];
  for (const section of sections) console.log(`\n${section}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
