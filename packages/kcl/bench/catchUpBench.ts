/**
 * Catch-up: a backlog of aggregated user records on 4 shards, read from TRIM_HORIZON by the
 * Worker and by the hand-written aws-kinesis-agg loop, alternating on the same backlog (a fresh
 * application, so a fresh lease table, for every Worker run). Two scenarios:
 *
 * - `maxRecords` 10000, the brief's: Worker vs the naive loop, with "fetch only" (the same loop
 *   without de-aggregation) as the ceiling any consumer can reach on this stack.
 * - a small `maxRecords`, so each shard takes many pages and the Worker's 200 ms between calls
 *   shows: Worker vs the naive loop vs the naive loop with the Worker's pause between calls.
 */
import { PRODUCER_DEFAULTS } from '@kinesis-toolkit/kpl';
import { createKinesisClient, createStream, uniqueName } from '@kinesis-toolkit/testing';
import { DeleteStreamCommand } from '@aws-sdk/client-kinesis';
import { formatRate, formatTable, gc, quantile, seconds } from '../../../scripts/bench-harness';
import type { LocalStackProcess } from '../../../scripts/LocalStackProcess';
import { RecordFactory } from '../../../scripts/RecordFactory';
import { IDLE_TIME_BETWEEN_READS_MS, runLoop, runWorker, WORKER_CALL_SPACING_MS, type CatchUpRun, type CatchUpTarget, type Contender } from './catchUpRuns';
import { writeBacklog, type Backlog } from '../../../scripts/writeBacklog';

export const SHARDS = 4;
export const DATA_BYTES = 100;
export const KEY_LENGTH = 16;
/** Aggregates as big as the KPL (and our producer) makes them by default. */
const AGGREGATE_MAX_BYTES = PRODUCER_DEFAULTS.aggregationMaxBytes;
/** The brief's GetRecords `Limit`, the Worker's default `maxRecords`. */
const FULL_PAGE = 10_000;
/** The Worker should catch up at least this many times faster than the naive loop. */
export const CATCH_UP_TARGET = 2;
/** Consumer CPU per user record with CBOR should be at most this share of the JSON path's. */
const CPU_SHARE_TARGET = 0.4;

/** Sizes of the catch-up benchmark. */
export interface CatchUpSettings {
  readonly records: number;
  /** Rounds of the main scenario; each runs every contender once. */
  readonly rounds: number;
  /** Rounds of the pacing scenario. */
  readonly pacedRounds: number;
  /** `maxRecords` of the pacing scenario: Kinesis records (aggregates) per page. */
  readonly pacedMaxRecords: number;
}

/** One scenario's runs. */
export interface CatchUpScenario {
  readonly title: string;
  readonly maxRecords: number;
  readonly contenders: readonly Contender[];
  readonly runs: readonly CatchUpRun[];
}

export interface CatchUpResults {
  readonly settings: CatchUpSettings;
  readonly backlog: Backlog;
  readonly backlogWriteMs: number;
  /** This process's heap in use after the backlog was written (after a full GC): what every GC of the runs walks. */
  readonly heapMb: number;
  readonly scenarios: readonly CatchUpScenario[];
}

/**
 * Writes the backlog from records that exist only inside this call: held through the runs, the
 * 500 k records (~100 MB of heap) made every major GC of every contender walk them, and the
 * answers' 25–90 MB per run set off several: measured, fetch only CBOR 1.2 → 0.6 µs, the Worker
 * 4.5 → 3.4 µs (JSON) and 2.3 → 1.7 µs (CBOR) of CPU per user record — none of it the consumer's own.
 */
async function writeRecords(admin: ReturnType<typeof createKinesisClient>, streamName: string, count: number): Promise<Backlog> {
  return writeBacklog(admin, streamName, new RecordFactory(DATA_BYTES, KEY_LENGTH, 20240611).many(count), AGGREGATE_MAX_BYTES);
}

async function runScenario(target: CatchUpTarget, title: string, contenders: readonly Contender[], rounds: number): Promise<CatchUpScenario> {
  const runs: CatchUpRun[] = [];
  for (let round = 0; round < rounds; round++) {
    // Who goes first rotates, so a slow spell of the machine does not always hit the same one.
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length]!;
      runs.push(contender === 'worker' || contender === 'worker, cbor' ? await runWorker(target, round, contender) : await runLoop(target, contender, round));
    }
  }
  return { title, maxRecords: target.maxRecords, contenders, runs };
}

export async function runCatchUpBench(stack: LocalStackProcess, settings: CatchUpSettings): Promise<CatchUpResults> {
  const admin = createKinesisClient(stack.endpoint);
  const streamName = uniqueName('kcl-backlog');
  try {
    await createStream(admin, streamName, SHARDS);
    const writeStartedAt = performance.now();
    const backlog = await writeRecords(admin, streamName, settings.records);
    const backlogWriteMs = performance.now() - writeStartedAt;
    gc?.();
    const heapMb = process.memoryUsage().heapUsed / 1e6;
    const target = { stack, streamName, backlog };
    const main = await runScenario({ ...target, maxRecords: FULL_PAGE }, 'main', ['worker', 'worker, cbor', 'naive', 'fetch only', 'fetch only, cbor'], settings.rounds);
    const paced = await runScenario({ ...target, maxRecords: settings.pacedMaxRecords }, 'pacing', ['worker', 'naive', 'naive, paced'], settings.pacedRounds);
    return { settings, backlog, backlogWriteMs, heapMb, scenarios: [main, paced] };
  } finally {
    await admin.send(new DeleteStreamCommand({ StreamName: streamName })).catch(() => undefined);
    admin.destroy();
  }
}

const median = (values: readonly number[]): number => quantile(values, 0.5);
const round1 = (value: number): string => value.toFixed(1);

/** Per round, `naive` time ÷ the contender's time: how many times faster than the naive loop. */
function ratiosToNaive(scenario: CatchUpScenario, contender: Contender): number[] {
  const ratios: number[] = [];
  for (const run of scenario.runs) {
    if (run.contender !== contender) continue;
    const naive = scenario.runs.find((other) => other.contender === 'naive' && other.round === run.round);
    if (naive !== undefined) ratios.push(naive.elapsedMs / run.elapsedMs);
  }
  return ratios;
}

function ratioCell(ratios: readonly number[]): string {
  return `${median(ratios).toFixed(2)}× (${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)})`;
}

function scenarioTable(scenario: CatchUpScenario, backlog: Backlog): string {
  const rows = scenario.contenders.map((contender) => {
    const runs = scenario.runs.filter((run) => run.contender === contender);
    const elapsedMs = median(runs.map((run) => run.elapsedMs));
    const fetches = runs.flatMap((run) => run.fetch);
    return [
      contender,
      (elapsedMs / 1000).toFixed(2),
      formatRate(backlog.userRecords / (elapsedMs / 1000)),
      ratioCell(ratiosToNaive(scenario, contender)),
      round1(median(runs.map((run) => (run.cpuMs * 1000) / backlog.userRecords))),
      `${Math.round(median(runs.map((run) => run.emulatorCpu)) * 100)}%`,
      round1(median(fetches.map((fetch) => fetch.calls))),
      round1(median(fetches.map((fetch) => fetch.pagesWithRecords))),
      Math.round(median(fetches.map((fetch) => fetch.waitBeforeLastPageMs))).toString(),
    ];
  });
  return formatTable(
    ['contender', 'time s', 'user rec/s', 'vs naive (q1–q3)', 'CPU here µs/rec', 'emulator CPU', 'GetRecords/shard', 'pages w/ records', 'gaps before last page ms/shard'],
    rows,
  );
}

/**
 * `deaggregationNs`: the in-process CPU per user record of de-aggregation with the range check as
 * the Worker calls it (deaggregationCost.ts), set beside what the CPU-share target leaves for it.
 */
export function describeCatchUp(results: CatchUpResults, deaggregationNs?: number): string {
  const { backlog, settings } = results;
  const [main, paced] = results.scenarios as [CatchUpScenario, CatchUpScenario];
  const workerRuns = main.runs.filter((run) => run.contender === 'worker');
  const workerRatio = median(ratiosToNaive(main, 'worker'));
  const ceiling = median(ratiosToNaive(main, 'fetch only'));
  const cborRatio = median(ratiosToNaive(main, 'worker, cbor'));
  const cborCeiling = median(ratiosToNaive(main, 'fetch only, cbor'));
  const cpuOf = (contender: Contender): number => median(main.runs.filter((run) => run.contender === contender).map((run) => run.cpuMs));
  const cpuShare = cpuOf('worker, cbor') / cpuOf('worker');
  const usPerRecord = (contender: Contender): number => (cpuOf(contender) * 1000) / backlog.userRecords;
  const fetchCbor = usPerRecord('fetch only, cbor');
  const fetchJson = usPerRecord('fetch only');
  const ownCbor = usPerRecord('worker, cbor') - fetchCbor;
  const ownJson = usPerRecord('worker') - fetchJson;
  // CBOR ÷ JSON = (fetchCbor + own) ÷ (fetchJson + own), the worker's own work being the same for both:
  // at most CPU_SHARE_TARGET only while own ≤ (target × fetchJson − fetchCbor) ÷ (1 − target).
  const ownBudget = (CPU_SHARE_TARGET * fetchJson - fetchCbor) / (1 - CPU_SHARE_TARGET);
  const workerMs = median(workerRuns.map((run) => run.elapsedMs));
  const workerWaitMs = median(workerRuns.flatMap((run) => run.fetch.map((fetch) => fetch.waitBeforeLastPageMs)));
  const pacingBound = workerWaitMs > 0.25 * workerMs;
  const pacedWorker = paced.runs.filter((run) => run.contender === 'worker');
  const pacedWaitMs = median(pacedWorker.flatMap((run) => run.fetch.map((fetch) => fetch.waitBeforeLastPageMs)));
  const workerVsPaced = (() => {
    const ratios: number[] = [];
    for (const run of pacedWorker) {
      const twin = paced.runs.find((other) => other.contender === 'naive, paced' && other.round === run.round);
      if (twin !== undefined) ratios.push(twin.elapsedMs / run.elapsedMs);
    }
    return ratios;
  })();
  return [
    `1. Catch-up from TRIM_HORIZON: ${backlog.userRecords.toLocaleString('en-US')} user records (${DATA_BYTES} B data, random ${KEY_LENGTH}-char keys) in ${backlog.aggregates} aggregates of ≤ ${AGGREGATE_MAX_BYTES} B on ${SHARDS} shards (written in ${seconds(results.backlogWriteMs)} s)`,
    `   worker: no-op processor that checkpoints at the end of every batch; idleTimeBetweenReadsMs ${IDLE_TIME_BETWEEN_READS_MS}, maxPrefetchedBatches 2, fresh application (lease table created before the clock starts).`,
    `   naive: per shard GetShardIterator TRIM_HORIZON + GetRecords loop + aws-kinesis-agg deaggregateSync(record, true) per record, all shards in parallel, no pause.`,
    `   fetch only: the naive loop without de-aggregation — what fetching alone costs on this stack, so the best ratio any consumer can reach here.`,
    `   ", cbor": the same with the client on @kinesis-toolkit/wire's CBOR (kinesalite answers CBOR with node-cbor, in its own process: see "emulator CPU").`,
    `   Time: first request (worker: start()) to the last user record handed over. Ratio per round: naive time ÷ contender time. "CPU here": this process's CPU per user record;`,
    `   "emulator CPU": the emulators' process, in cores. "Gaps": per shard, time between one GetRecords answer and the next call, up to the last page with records —`,
    `   the Worker's pacing or a full prefetch queue; the loop's own de-aggregation between calls (plus its pause, when paced).`,
    '',
    `a) maxRecords ${main.maxRecords} — medians of ${settings.rounds} rounds`,
    scenarioTable(main, backlog),
    `target: worker ≥ ${CATCH_UP_TARGET}× naive: ${workerRatio >= CATCH_UP_TARGET ? 'PASS' : 'BELOW'} (${workerRatio.toFixed(2)}×; fetch-only ceiling ${ceiling.toFixed(2)}×)`,
    `target: worker, cbor ≥ ${CATCH_UP_TARGET}× naive: ${cborRatio >= CATCH_UP_TARGET ? 'PASS' : 'BELOW'} (${cborRatio.toFixed(2)}×; CBOR fetch-only ceiling ${cborCeiling.toFixed(2)}×); consumer CPU here per user record, CBOR ÷ JSON: ${(cpuShare * 100).toFixed(0)}% (target ≤ ${CPU_SHARE_TARGET * 100}%: ${cpuShare <= CPU_SHARE_TARGET ? 'PASS' : 'BELOW'})`,
    `   why: CPU here per user record = fetching (fetch only: CBOR ${fetchCbor.toFixed(2)} µs, JSON ${fetchJson.toFixed(2)} µs) + the worker's own work on the same records, the same for both protocols` +
      ` (de-aggregation with the MD5 check of every aggregate, the range check's MD5 of every partition key, hand-off, checkpoints: here ${ownCbor.toFixed(2)} µs CBOR, ${ownJson.toFixed(2)} µs JSON).` +
      ` ≤ ${CPU_SHARE_TARGET * 100}% needs that own work ≤ (${CPU_SHARE_TARGET} × ${fetchJson.toFixed(2)} − ${fetchCbor.toFixed(2)}) ÷ ${1 - CPU_SHARE_TARGET} = ${Math.max(0, ownBudget).toFixed(2)} µs per user record` +
      (deaggregationNs === undefined ? '.' : `; de-aggregation + range check alone cost ${(deaggregationNs / 1000).toFixed(2)} µs in process (c).`),
    `   heap in use during the runs (after the backlog was written, full GC): ${results.heapMb.toFixed(0)} MB.`,
    `worker start-up, start() → first GetRecords: ${Math.round(median(workerRuns.map((run) => run.startupMs ?? 0)))} ms; batches (= checkpoints) per run: ${median(workerRuns.map((run) => run.batches ?? 0))}`,
    `pacing-bound? ${pacingBound ? 'YES' : 'no'}: the worker's gaps between calls before its last page were ${Math.round(workerWaitMs)} ms per shard, of ${Math.round(workerMs)} ms.`,
    '',
    `b) pacing made visible: maxRecords ${paced.maxRecords} (many pages per shard) — medians of ${settings.pacedRounds} rounds; "naive, paced" pauses ${WORKER_CALL_SPACING_MS} ms after every page, as the Worker does`,
    scenarioTable(paced, backlog),
    `worker vs naive, paced (the only difference left is the consumer itself): ${ratioCell(workerVsPaced)}; the worker's gaps before its last page: ${Math.round(pacedWaitMs)} ms per shard.`,
    `note: kinesalite answers MillisBehindLatest 0 on every page, so the Worker treats every page as caught up and waits idleTimeBetweenReadsMs (${IDLE_TIME_BETWEEN_READS_MS} ms here, default 1000) rather than its ${WORKER_CALL_SPACING_MS} ms catching-up spacing; both are ${WORKER_CALL_SPACING_MS} ms here.`,
  ].join('\n');
}
