/**
 * The agent tailing a file into a stream against `produce` from stdin (the ceiling: the same
 * records, the same pipeline and KinesisProducer, no files, offsets or checkpoints), same run,
 * interleaved rounds, on kinesalite. Records/s of both and the ratio.
 *
 *   npm run bench -- agent
 *   BENCH_AGENT_RECORDS=200000 BENCH_AGENT_ROUNDS=5 npm run bench -- agent
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { NOOP_LOGGER, SYSTEM_CLOCK } from '@kinesis-toolkit/core';
import { KinesisProducer } from '@kinesis-toolkit/kpl';
import { createStream, startLocalStack } from '@kinesis-toolkit/testing';
import { describeEnvironment, formatRate, formatTable, positiveIntegerFromEnv, quantile } from '../../../scripts/bench-harness';
import { resolveProduceOptions } from '../src/config/ProduceOptions';
import { ProduceAgent } from '../src/pipeline/ProduceAgent';

const RECORDS = positiveIntegerFromEnv('BENCH_AGENT_RECORDS', 100_000);
const ROUNDS = positiveIntegerFromEnv('BENCH_AGENT_ROUNDS', 3);

async function main(): Promise<void> {
  console.log(describeEnvironment());
  const stack = await startLocalStack();
  const dir = await mkdtemp(join(tmpdir(), 'kt-agent-bench-'));
  try {
    const streamName = `agent-bench-${Date.now()}`;
    await createStream(stack.kinesis.client, streamName, 4);
    const text = Array.from({ length: RECORDS }, (_, i) => `{"n":${i},"host":"web-${i % 16}","path":"/api/items/${i % 997}","status":200}`).join('\n') + '\n';
    const run = async (mode: 'file' | 'stdin', round: number): Promise<number> => {
      const producer = new KinesisProducer({ streamName, kinesisClient: stack.kinesis.client, recordMaxBufferedTimeMs: 100, logger: NOOP_LOGGER });
      const file = join(dir, `app-${mode}-${round}.log`);
      if (mode === 'file') await writeFile(file, text);
      const options = resolveProduceOptions({
        streamName,
        ...(mode === 'file' ? { files: [file], initialPosition: 'START_OF_FILE' as const, exitWhenDone: true, pollIntervalMs: 10, checkpointFile: join(dir, `cp-${round}.json`) } : {}),
      });
      const started = performance.now();
      const summary = await new ProduceAgent(options, {
        producer,
        stdin: mode === 'stdin' ? Readable.from([Buffer.from(text)]) : Readable.from([]),
        cwd: dir,
        signal: new AbortController().signal,
        clock: SYSTEM_CLOCK,
        logger: NOOP_LOGGER,
        report: (message) => console.error(message),
      }).run();
      const ms = performance.now() - started;
      await producer.close();
      if (summary.sent !== RECORDS) throw new Error(`${mode}: ${summary.sent} of ${RECORDS} records sent`);
      return ms;
    };
    const times = { file: [] as number[], stdin: [] as number[] };
    for (let round = 0; round <= ROUNDS; round++) {
      for (const mode of ['stdin', 'file'] as const) {
        const ms = await run(mode, round);
        if (round > 0) times[mode].push(ms); // round 0 warms up
      }
    }
    const rate = (mode: 'file' | 'stdin') => RECORDS / (quantile(times[mode], 0.5) / 1000);
    console.log(`\n${RECORDS} records of ~80 bytes into a 4-shard stream (kinesalite), median of ${ROUNDS} interleaved rounds:\n`);
    console.log(
      formatTable(
        ['source', 'records/s', 'vs produce from stdin'],
        [
          ['produce from stdin (ceiling)', formatRate(rate('stdin')), '1.00×'],
          ['agent tailing a file (offsets, checkpoints)', formatRate(rate('file')), `${(rate('file') / rate('stdin')).toFixed(2)}×`],
        ],
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
