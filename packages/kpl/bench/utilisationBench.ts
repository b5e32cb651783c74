/**
 * Benchmark 2, shard utilisation at the real limits: the producer at full speed through a
 * ShardLimitProxy (1 MiB/s and 1,000 records/s per shard, scale 1) in front of kinesalite, at
 * the default `rateLimitPercent` and at 100. Measures, over a window after a warm-up, each shard's
 * accepted bytes/s against 1 MiB/s and the share of entries throttled; then closes the producer
 * and checks that every put settled.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { KinesisProducer, PRODUCER_DEFAULTS } from '@kinesis-toolkit/kpl';
import { createKinesisClient, createStream, uniqueName, type ShardLimitProxyStats, type ShardTraffic } from '@kinesis-toolkit/testing';
import { formatRate, formatTable } from '../../../scripts/bench-harness';
import {
  CLOSE_TIMEOUT_MS,
  closeWithin,
  DATA_BYTES,
  deleteStream,
  gc,
  KEY_LENGTH,
  percent,
  seconds,
  SHARD_BYTES_PER_SECOND,
  shardMapOf,
  type BenchContext,
} from './benchSupport';
import { feedWithDrain, Settlements, type FeedStats } from './feedProducer';
import { cpuShare } from '../../../scripts/LocalStackProcess';
import { RecordFactory } from '../../../scripts/RecordFactory';

/** Each shard should accept at least this share of its 1 MiB/s… */
const UTILISATION_TARGET = 0.9;
/** …with at most this share of PutRecords entries throttled. */
const THROTTLED_TARGET = 0.02;
const SHARDS = 4;
/** Full speed before the window opens, so the buckets' initial bursts are spent. */
const WARMUP_SECONDS = 3;
const RATE_LIMIT_PERCENTS = [PRODUCER_DEFAULTS.rateLimitPercent, 100] as const;

/** What one `rateLimitPercent` setting gave. */
interface UtilisationRun {
  readonly rateLimitPercent: number;
  readonly windowMs: number;
  /** Accepted bytes/s per shard over the window, as a share of 1 MiB/s, in shard-id order. */
  readonly shardShares: readonly number[];
  readonly throttledInWarmup: number;
  readonly throttledInWindow: number;
  /** From the feeder's stop to the end of `close()`. */
  readonly throttledAfter: number;
  readonly throttledOverall: number;
  /** User records acknowledged per second in the window. */
  readonly userRecordsPerSec: number;
  readonly settlements: Settlements;
  /** Puts never settled, once `close()` returned or timed out. */
  readonly lost: number;
  readonly feed: FeedStats;
  /** The proxy and kinesalite's CPU over the window, as a share of one core. */
  readonly emulatorCpu: number;
  readonly closeMs: number;
}

/** What {@link runUtilisationBench} measured. */
export interface UtilisationResult {
  readonly windowSeconds: number;
  readonly runs: readonly UtilisationRun[];
}

function trafficOf(stats: ShardLimitProxyStats, streamName: string): Readonly<Record<string, ShardTraffic>> {
  return stats.streams[streamName] ?? {};
}

const throttledShare = (accepted: number, throttled: number): number => (accepted + throttled === 0 ? 0 : throttled / (accepted + throttled));

/** Accepted and throttled entries between two snapshots of a stream's traffic (`from` undefined: since the start). */
function throttledBetween(from: Readonly<Record<string, ShardTraffic>> | undefined, to: Readonly<Record<string, ShardTraffic>>): number {
  const sum = (traffic: Readonly<Record<string, ShardTraffic>> | undefined, field: 'recordsAccepted' | 'recordsThrottled'): number =>
    Object.values(traffic ?? {}).reduce((total, shard) => total + shard[field], 0);
  return throttledShare(sum(to, 'recordsAccepted') - sum(from, 'recordsAccepted'), sum(to, 'recordsThrottled') - sum(from, 'recordsThrottled'));
}

async function runOne({ stack, admin }: BenchContext, rateLimitPercent: number, windowSeconds: number): Promise<UtilisationRun> {
  const proxyEndpoint = await stack.startProxy(1);
  const streamName = uniqueName(`bench-util-${rateLimitPercent}`);
  await createStream(admin, streamName, SHARDS);
  const client = createKinesisClient(proxyEndpoint, { maxAttempts: 1 });
  const producer = new KinesisProducer({ streamName, kinesisClient: client, rateLimitPercent });
  await shardMapOf(producer);
  const factory = new RecordFactory(DATA_BYTES, KEY_LENGTH, rateLimitPercent);
  const settlements = new Settlements();
  gc?.();

  const windowOpensAt = performance.now() + WARMUP_SECONDS * 1000;
  const stopAt = windowOpensAt + windowSeconds * 1000;
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
  // Let the last settlement callbacks run before counting.
  await sleep(0);
  const statsAtEnd = await stack.proxyStats();
  client.destroy();
  await stack.stopProxy();
  await deleteStream(admin, streamName);

  const open = trafficOf(statsAtOpen, streamName);
  const close = trafficOf(statsAtClose, streamName);
  const end = trafficOf(statsAtEnd, streamName);
  const shardShares = Object.keys(end)
    .sort()
    .map((shardId) => ((close[shardId]?.bytesAccepted ?? 0) - (open[shardId]?.bytesAccepted ?? 0)) / (windowMs / 1000) / SHARD_BYTES_PER_SECOND);
  return {
    rateLimitPercent,
    windowMs,
    shardShares,
    throttledInWarmup: throttledBetween(undefined, open),
    throttledInWindow: throttledBetween(open, close),
    throttledAfter: throttledBetween(close, end),
    throttledOverall: throttledBetween(undefined, end),
    userRecordsPerSec: (succeededInWindow * 1000) / windowMs,
    settlements,
    lost: feed.puts - settlements.settled,
    feed,
    emulatorCpu: cpuShare(hostAtOpen, hostAtClose),
    closeMs,
  };
}

/** Runs each `rateLimitPercent` setting, printing each as it ends. */
export async function runUtilisationBench(context: BenchContext, windowSeconds: number): Promise<UtilisationResult> {
  console.log(
    `\n[2/3] shard utilisation through ShardLimitProxy (scale 1): ${SHARDS} shards, ${WARMUP_SECONDS} s warm-up + ${windowSeconds} s window per setting`,
  );
  const runs: UtilisationRun[] = [];
  for (const rateLimitPercent of RATE_LIMIT_PERCENTS) {
    const run = await runOne(context, rateLimitPercent, windowSeconds);
    runs.push(run);
    console.log(
      `  rateLimitPercent ${rateLimitPercent}: shards ${run.shardShares.map((share) => percent(share, 0)).join(' ')} of 1 MiB/s, ` +
        `throttled ${percent(run.throttledInWarmup, 2)} (warm-up) ${percent(run.throttledInWindow, 2)} (window) ` +
        `${percent(run.throttledAfter, 2)} (close) ${percent(run.throttledOverall, 2)} (run), ` +
        `${run.feed.puts} puts, ${run.settlements.succeeded} ok, failed: ${run.settlements.describeFailures()}, lost ${run.lost}, ` +
        `close() ${seconds(run.closeMs)} s, waits ${run.feed.waits} ('drain' missing ${run.feed.drainMissing}), kinesalite+proxy CPU ${percent(run.emulatorCpu, 0)}`,
    );
  }
  return { windowSeconds, runs };
}

/** The results table, with the targets and what the columns mean. */
export function describeUtilisation({ windowSeconds, runs }: UtilisationResult): string {
  const shardCount = Math.max(...runs.map((run) => run.shardShares.length));
  const header = ['rateLimitPercent'];
  for (let i = 0; i < shardCount; i++) header.push(`shard ${i}`);
  header.push('min', 'throttled (window)', 'throttled (run)', 'user rec/s acked', 'puts', 'failed by class', 'lost', "waits ('drain' missing)", 'verdict');
  const rows = runs.map((run) => {
    const min = Math.min(...run.shardShares);
    const pass = min >= UTILISATION_TARGET && run.throttledInWindow <= THROTTLED_TARGET && run.lost === 0;
    return [
      `${run.rateLimitPercent}${run.rateLimitPercent === PRODUCER_DEFAULTS.rateLimitPercent ? ' (default)' : ''}`,
      ...run.shardShares.map((share) => percent(share, 0)),
      percent(min, 0),
      percent(run.throttledInWindow, 2),
      percent(run.throttledOverall, 2),
      formatRate(run.userRecordsPerSec),
      String(run.feed.puts),
      run.settlements.describeFailures(),
      String(run.lost),
      `${run.feed.waits} (${run.feed.drainMissing})`,
      pass ? 'PASS' : 'BELOW',
    ];
  });
  return [
    `2. Shard utilisation at real limits (ShardLimitProxy, scale 1): ${SHARDS} shards, ${DATA_BYTES} B records at full speed, maxAttempts 1, ${windowSeconds} s window`,
    '',
    formatTable(header, rows),
    '',
    `shard n: accepted bytes/s (data + partition key, as the proxy charges) ÷ 1 MiB/s over the window (after ${WARMUP_SECONDS} s at full speed).`,
    `throttled: entries answered ProvisionedThroughputExceededException ÷ entries sent; run = warm-up + window + close().`,
    `failed by class: puts that rejected, by error name (and AWS code). lost: puts never settled.`,
    `waits: times the feeder found hasCapacity false; 'drain' missing: of those, waits that no 'drain' event ended (the feeder's`,
    `own 10 ms look at hasCapacity did) — a feeder that waits for 'drain' alone, as the README shows, would have hung at the first.`,
    `targets: every shard ≥ ${percent(UTILISATION_TARGET, 0)} of 1 MiB/s, throttled ≤ ${percent(THROTTLED_TARGET, 0)} (window), lost 0.`,
  ].join('\n');
}
