/**
 * @kinesis-toolkit/analytics benchmarks, figures as same-run ratios:
 *
 * 1. Tumbling GROUP BY key with COUNT/SUM/AVG over 100 B JSON records: the SQL engine against a
 *    hand-written TypeScript loop computing the same result (the ceiling). Target ≥ 50 %.
 * 2. Sliding AVG over RANGE INTERVAL with 1,000 and 100,000 rows per window: cost per row at
 *    100,000 against 1,000. Target ≤ 1.5×.
 * 3. End to end: a local stream's backlog through one AnalyticsWorker. Target ≥ 100,000 rows/s.
 *
 * kinesalite and dynalite run in a child process. Targets are printed, never enforced.
 *
 *   npm run bench -- analytics
 *   BENCH_ANALYTICS_RECORDS=200000 BENCH_ANALYTICS_E2E_RECORDS=500000 npm run bench -- analytics
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { describeEnvironment, positiveIntegerFromEnv, seconds } from '../../../scripts/bench-harness';
import { LocalStackProcess } from '../../../scripts/LocalStackProcess';
import { describeEndToEnd, runEndToEndBench } from './endToEndBench';
import { describeSliding, runSlidingBench } from './slidingBench';
import { describeTumbling, runTumblingBench } from './tumblingBench';

const RECORDS = positiveIntegerFromEnv('BENCH_ANALYTICS_RECORDS', 100_000);
const E2E_RECORDS = positiveIntegerFromEnv('BENCH_ANALYTICS_E2E_RECORDS', 300_000);
const E2E_SHARDS = positiveIntegerFromEnv('BENCH_ANALYTICS_E2E_SHARDS', 4);

async function main(): Promise<void> {
  console.log('analytics bench: @kinesis-toolkit/analytics SQL engine and AnalyticsWorker');
  console.log(describeEnvironment());
  console.log(`sizes (env): BENCH_ANALYTICS_RECORDS=${RECORDS} BENCH_ANALYTICS_E2E_RECORDS=${E2E_RECORDS} BENCH_ANALYTICS_E2E_SHARDS=${E2E_SHARDS}`);
  const startedAt = performance.now();
  const tumbling = await runTumblingBench(RECORDS);
  console.log(`… tumbling done (${seconds(performance.now() - startedAt)} s)`);
  const sliding = await runSlidingBench();
  console.log(`… sliding done (${seconds(performance.now() - startedAt)} s)`);
  const stack = await LocalStackProcess.start();
  let endToEnd;
  try {
    endToEnd = await runEndToEndBench(stack, E2E_RECORDS, E2E_SHARDS);
  } finally {
    await stack.stop();
  }
  for (const section of [describeTumbling(tumbling), describeSliding(sliding), describeEndToEnd(endToEnd)]) console.log(`\n${section}`);
  console.log(`\ntotal bench time ${seconds(performance.now() - startedAt)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
