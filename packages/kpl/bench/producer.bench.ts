/**
 * KinesisProducer end to end, against a real Kinesis protocol server (kinesalite):
 *
 * 1. Pipeline throughput — N records of 100 B with random keys through `put()` into 8 shards,
 *    against aws-kinesis-agg's `aggregate()` plus a hand-written PutRecords loop, alternating
 *    on fresh streams (`throughputBench.ts`).
 * 2. Shard utilisation at the real limits — a ShardLimitProxy in front of kinesalite, 4 shards,
 *    the producer at full speed, at the default `rateLimitPercent` and at 100 (`utilisationBench.ts`).
 * 3. Memory — records as fast as the write stream takes them, `maxOutstandingBytes` 64 MiB, peak
 *    RSS (`memoryBench.ts`). It runs first, while this process's heap holds nothing else.
 *
 * kinesalite (and the proxy) run in a child process, so this process's CPU and RSS are the
 * contender's own. Targets are printed, never enforced; a lost or changed record fails the run.
 *
 *   npm run bench -- kpl
 *   BENCH_RECORDS=1000000 BENCH_ROUNDS=2 BENCH_UTIL_SECONDS=20 BENCH_MEMORY_RECORDS=2000000 npm run bench -- kpl
 */
// Before any SDK client exists: the SDK's notice that it will drop Node 20 is noise in a results table.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { createKinesisClient } from '@kinesis-toolkit/testing';
import awsKinesisAggPackage from 'aws-kinesis-agg/package.json';
import { describeEnvironment, positiveIntegerFromEnv } from '../../../scripts/bench-harness';
import { DATA_BYTES, KEY_LENGTH, seconds } from './benchSupport';
import { LocalStackProcess } from '../../../scripts/LocalStackProcess';
import { describeMemory, runMemoryBench } from './memoryBench';
import { describeThroughput, runThroughputBench } from './throughputBench';
import { describeUtilisation, runUtilisationBench } from './utilisationBench';

// Sized so the whole file takes about two and a half minutes on the project's 2-core machine:
// there 1 M records take ours ~10 s and theirs ~4–6 s per run.
/** User records per throughput run (the brief's 1 M). */
const RECORDS = positiveIntegerFromEnv('BENCH_RECORDS', 1_000_000);
/** Throughput runs per contender, alternating ours, theirs, reference, ours, theirs, … */
const ROUNDS = positiveIntegerFromEnv('BENCH_ROUNDS', 2);
/** The utilisation window per `rateLimitPercent` setting, after a 3 s warm-up. */
const UTILISATION_SECONDS = positiveIntegerFromEnv('BENCH_UTIL_SECONDS', 20);
/** Records through the write stream in the memory benchmark. */
const MEMORY_RECORDS = positiveIntegerFromEnv('BENCH_MEMORY_RECORDS', 2_000_000);

async function main(): Promise<void> {
  console.log(`producer bench: @kinesis-toolkit/kpl KinesisProducer (ours) vs aws-kinesis-agg ${awsKinesisAggPackage.version} + PutRecords loop (theirs)`);
  console.log(describeEnvironment());
  console.log(
    `records: ${DATA_BYTES} B data, random ${KEY_LENGTH}-char partition keys; kinesalite and the ShardLimitProxy run in a child process.` +
      `\nsizes (env): BENCH_RECORDS=${RECORDS} BENCH_ROUNDS=${ROUNDS} BENCH_UTIL_SECONDS=${UTILISATION_SECONDS} BENCH_MEMORY_RECORDS=${MEMORY_RECORDS}`,
  );
  const startedAt = performance.now();
  const stack = await LocalStackProcess.start();
  const admin = createKinesisClient(stack.endpoint);
  const context = { stack, admin };
  try {
    const memory = await runMemoryBench(context, MEMORY_RECORDS);
    const throughput = await runThroughputBench(context, { records: RECORDS, rounds: ROUNDS });
    const utilisation = await runUtilisationBench(context, UTILISATION_SECONDS);
    for (const section of [describeThroughput(throughput), describeUtilisation(utilisation), describeMemory(memory)]) console.log(`\n${section}`);
    console.log(`\ntotal bench time ${seconds(performance.now() - startedAt)} s`);
  } finally {
    admin.destroy();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
