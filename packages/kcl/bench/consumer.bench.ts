/**
 * The KCL Worker end to end, against real protocol servers (kinesalite, dynalite):
 *
 * 1. Catch-up — a backlog of aggregated 100 B user records on 4 shards read from TRIM_HORIZON by
 *    the Worker (no-op processor, checkpoint per batch) against a hand-written GetRecords +
 *    aws-kinesis-agg loop, alternating (`catchUpBench.ts`), with the per-record CPU of the
 *    de-aggregation steps measured in process (`deaggregationCost.ts`).
 * 2. Takeover — two worker processes; one killed with SIGKILL or stopped with SIGTERM; time until
 *    the other holds every lease and delivers from every shard it took (`takeoverBench.ts`).
 * 3. Lease table traffic — DynamoDB requests per lease per minute at steady state (`leaseTrafficBench.ts`).
 *
 * The emulators run in a child process (scripts/LocalStackProcess.ts), so this process's CPU is
 * the consumer's own. Targets are printed, never enforced; a lost or extra record fails the run.
 *
 *   npm run bench -- kcl
 *   BENCH_KCL_RECORDS=1000000 BENCH_KCL_ROUNDS=7 BENCH_KCL_TAKEOVERS=9 BENCH_KCL_DYNAMO_SECONDS=60 npm run bench -- kcl
 */
// Before any SDK client exists: the SDK's notice that it will drop Node 20 is noise in a results table.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import awsKinesisAggPackage from 'aws-kinesis-agg/package.json';
import { PRODUCER_DEFAULTS } from '@kinesis-toolkit/kpl';
import { describeEnvironment, positiveIntegerFromEnv, seconds } from '../../../scripts/bench-harness';
import { LocalStackProcess } from '../../../scripts/LocalStackProcess';
import { DATA_BYTES, describeCatchUp, KEY_LENGTH, runCatchUpBench } from './catchUpBench';
import { describeDeaggregationCost, runDeaggregationCost, workerDeaggregationNs } from './deaggregationCost';
import { describeLeaseTraffic, runLeaseTrafficBench } from './leaseTrafficBench';
import { describeTakeover, runTakeoverBench } from './takeoverBench';

// Sized for about three minutes on the project's 2-core machine: there a 500 k backlog takes
// each contender 1–2.5 s per read, a takeover run 6–9 s.
/** User records in the catch-up backlog (the brief's 500 k). */
const RECORDS = positiveIntegerFromEnv('BENCH_KCL_RECORDS', 500_000);
/** Catch-up rounds (Worker, naive, fetch only) at maxRecords 10000. */
const ROUNDS = positiveIntegerFromEnv('BENCH_KCL_ROUNDS', 5);
/** Catch-up rounds (Worker, naive, naive paced) at a small maxRecords. */
const PACED_ROUNDS = positiveIntegerFromEnv('BENCH_KCL_PACED_ROUNDS', 3);
/** maxRecords of the pacing scenario: with 50 KiB aggregates, about a dozen pages per shard at 500 k. */
const PACED_MAX_RECORDS = positiveIntegerFromEnv('BENCH_KCL_PACED_MAX_RECORDS', 25);
/** Takeovers per kind (kill -9, SIGTERM). */
const TAKEOVERS = positiveIntegerFromEnv('BENCH_KCL_TAKEOVERS', 5);
/** The steady-state window of the lease traffic count. */
const DYNAMO_SECONDS = positiveIntegerFromEnv('BENCH_KCL_DYNAMO_SECONDS', 30);

async function main(): Promise<void> {
  console.log(`consumer bench: @kinesis-toolkit/kcl Worker vs GetRecords + aws-kinesis-agg ${awsKinesisAggPackage.version} deaggregateSync loop`);
  console.log(describeEnvironment());
  console.log(
    `kinesalite and dynalite run in a child process.` +
      `\nsizes (env): BENCH_KCL_RECORDS=${RECORDS} BENCH_KCL_ROUNDS=${ROUNDS} BENCH_KCL_PACED_ROUNDS=${PACED_ROUNDS} BENCH_KCL_PACED_MAX_RECORDS=${PACED_MAX_RECORDS} BENCH_KCL_TAKEOVERS=${TAKEOVERS} BENCH_KCL_DYNAMO_SECONDS=${DYNAMO_SECONDS}`,
  );
  const startedAt = performance.now();
  const stack = await LocalStackProcess.start();
  try {
    const deaggregation = await runDeaggregationCost(DATA_BYTES, KEY_LENGTH, PRODUCER_DEFAULTS.aggregationMaxBytes);
    console.log(`… de-aggregation cost measured (${seconds(performance.now() - startedAt)} s)`);
    const catchUp = await runCatchUpBench(stack, { records: RECORDS, rounds: ROUNDS, pacedRounds: PACED_ROUNDS, pacedMaxRecords: PACED_MAX_RECORDS });
    console.log(`… catch-up done (${seconds(performance.now() - startedAt)} s)`);
    const takeover = await runTakeoverBench(stack, TAKEOVERS);
    console.log(`… takeover done (${seconds(performance.now() - startedAt)} s)`);
    const leaseTraffic = await runLeaseTrafficBench(stack, DYNAMO_SECONDS);
    for (const section of [`${describeCatchUp(catchUp, workerDeaggregationNs(deaggregation))}\n\n${describeDeaggregationCost(deaggregation)}`, describeTakeover(takeover), describeLeaseTraffic(leaseTraffic)]) {
      console.log(`\n${section}`);
    }
    console.log(`\ntotal bench time ${seconds(performance.now() - startedAt)} s`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
