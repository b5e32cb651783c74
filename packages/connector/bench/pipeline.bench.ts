/**
 * The connector pipeline's overhead against a bare loop, per sink (see overheadBench.ts): 100-byte
 * JSON records into S3 (s3rver) and PostgreSQL (embedded), at two batch sizes. Records/s of both
 * contenders and the pipeline's extra time per record, from interleaved rounds on the same sink
 * in the same run. Target: overhead ≤ 20 %. Targets are printed, never enforced; a record
 * missing from a sink fails the run.
 *
 * Then an end-to-end figure (endToEndBench.ts): a Worker running the pipeline into S3 against
 * the same Worker with a no-op processor, on a backlog of aggregated records.
 *
 * s3rver runs in a child process (startLocalStack; its kinesalite and dynalite sit idle in this
 * one), PostgreSQL in its own processes (startPostgres), and the Kinesis and DynamoDB emulators the
 * end-to-end runs use in another (scripts/LocalStackProcess).
 *
 *   npm run bench -- connector
 *   BENCH_CONNECTOR_ROUNDS=31 BENCH_CONNECTOR_ROUND_MS=600 npm run bench -- connector
 */
// Before any SDK client exists: the SDK's notice that it will drop Node 20 is noise in a results table.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { createBucket, startLocalStack, startPostgres } from '@kinesis-toolkit/testing';
import { Pool } from 'pg';
import { describeEnvironment, formatRate, formatRatio, formatTable, positiveIntegerFromEnv, seconds, verdict } from '../../../scripts/bench-harness';
import { LocalStackProcess } from '../../../scripts/LocalStackProcess';
import { RECORD_BYTES } from './benchRecords';
import { describeEndToEnd, runEndToEndBench } from './endToEndBench';
import { comparePostgres, compareS3, type OverheadSettings, type SinkComparison } from './overheadBench';

/** The pipeline may take at most this much more time per record than the bare loop. */
const OVERHEAD_TARGET = 0.2;
const BATCH_SIZES = [100, 500];
const SETTINGS: OverheadSettings = {
  rounds: positiveIntegerFromEnv('BENCH_CONNECTOR_ROUNDS', 15),
  roundMs: positiveIntegerFromEnv('BENCH_CONNECTOR_ROUND_MS', 300),
  warmupMs: positiveIntegerFromEnv('BENCH_CONNECTOR_WARMUP_MS', 1200),
};
/** User records in the end-to-end backlog, and runs per contender. */
const E2E_RECORDS = positiveIntegerFromEnv('BENCH_CONNECTOR_E2E_RECORDS', 300_000);
const E2E_ROUNDS = positiveIntegerFromEnv('BENCH_CONNECTOR_E2E_ROUNDS', 3);

function describeOverhead(results: readonly SinkComparison[]): string {
  const rows = results.map(({ sink, batchSize, comparison }) => {
    const { candidate, baselineCallsPerSec } = comparison;
    // Rates are calls (batches) per second; time per record grows by 1/ratio.
    const overhead = 1 / candidate.ratio - 1;
    return [
      sink,
      String(batchSize),
      formatRate(candidate.callsPerSec * batchSize),
      formatRate(baselineCallsPerSec * batchSize),
      formatRatio(candidate),
      `${(overhead * 100).toFixed(1)}%`,
      `≤ ${(OVERHEAD_TARGET * 100).toFixed(0)}%`,
      verdict(candidate, 1 / (1 + OVERHEAD_TARGET)),
    ];
  });
  return [
    `Pipeline overhead: ${RECORD_BYTES} B JSON records, one batch per call, medians of ${SETTINGS.rounds} interleaved rounds of ~${SETTINGS.roundMs} ms per contender`,
    formatTable(['sink', 'batch', 'pipeline rec/s', 'bare rec/s', 'pipeline ÷ bare (q1–q3)', 'overhead', 'target', 'verdict'], rows),
    'overhead = bare rate ÷ pipeline rate − 1: the extra time per record the pipeline takes (transform, buffer, delivery bookkeeping, events, checkpoint call).',
    `records verified in the sinks afterwards: ${results.map((r) => `${r.sink}/${r.batchSize}: ${r.verified.pipeline} + ${r.verified.bare}`).join('; ')}`,
  ].join('\n');
}

async function main(): Promise<void> {
  console.log('connector bench: createPipeline → emitter vs a bare parse-and-emit loop on the same sink');
  console.log(describeEnvironment());
  console.log(
    `sizes (env): BENCH_CONNECTOR_ROUNDS=${SETTINGS.rounds} BENCH_CONNECTOR_ROUND_MS=${SETTINGS.roundMs} BENCH_CONNECTOR_WARMUP_MS=${SETTINGS.warmupMs}` +
      ` BENCH_CONNECTOR_E2E_RECORDS=${E2E_RECORDS} BENCH_CONNECTOR_E2E_ROUNDS=${E2E_ROUNDS}`,
  );
  const startedAt = performance.now();
  const [stack, postgres, kinesisStack] = await Promise.all([startLocalStack(), startPostgres({ database: 'connector_bench' }), LocalStackProcess.start()]);
  const pool = new Pool({ connectionString: postgres.connectionString, max: 4 });
  try {
    const bucket = await createBucket(stack.s3.client, `connector-bench-${Date.now()}`);
    const results: SinkComparison[] = [];
    for (const batchSize of BATCH_SIZES) {
      results.push(await compareS3(stack.s3.client, bucket, batchSize, SETTINGS));
      console.log(`… S3, batches of ${batchSize}, done (${seconds(performance.now() - startedAt)} s)`);
      results.push(await comparePostgres(pool, batchSize, SETTINGS));
      console.log(`… PostgreSQL, batches of ${batchSize}, done (${seconds(performance.now() - startedAt)} s)`);
    }
    const endToEnd = await runEndToEndBench(kinesisStack, stack.s3.client, bucket, E2E_RECORDS, E2E_ROUNDS);
    console.log(`… end to end done (${seconds(performance.now() - startedAt)} s)`);
    console.log(`\n${describeOverhead(results)}`);
    console.log(`\n${describeEndToEnd(endToEnd)}`);
    console.log(`\ntotal bench time ${seconds(performance.now() - startedAt)} s`);
  } finally {
    await pool.end();
    await Promise.allSettled([stack.stop(), postgres.stop(), kinesisStack.stop()]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
