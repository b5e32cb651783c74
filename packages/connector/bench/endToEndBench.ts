/**
 * End to end through a real Worker: a backlog of KPL-aggregated 100-byte JSON records on a
 * 2-shard kinesalite stream, read from TRIM_HORIZON by a Worker running the pipeline into S3
 * (s3rver), against the same Worker running a processor that does nothing but checkpoint each
 * batch — the KCL's own rate on this stack, which bounds what any pipeline can reach. Alternating
 * runs, a fresh application (lease table) each; the time is from `start()` until every record
 * was flushed (pipeline) or handed over (no-op). Every record the pipeline wrote is read back.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createPipeline, JsonTransformer, S3Emitter } from '@kinesis-toolkit/connector';
import { Worker, type ProcessRecordsInput, type RecordProcessor } from '@kinesis-toolkit/kcl';
import { PRODUCER_DEFAULTS } from '@kinesis-toolkit/kpl';
import { createDynamoDBClient, createKinesisClient, createStream, uniqueName } from '@kinesis-toolkit/testing';
import { check, formatRate, formatTable, quantile } from '../../../scripts/bench-harness';
import type { LocalStackProcess } from '../../../scripts/LocalStackProcess';
import { writeBacklog } from '../../../scripts/writeBacklog';
import { jsonRecordData } from './benchRecords';
import { countLines } from './overheadBench';

const SHARDS = 2;
const BATCH_SIZE = 500;
const TIMEOUT_MS = 120_000;

/** What the end-to-end runs measured, records per second per run. */
export interface EndToEndResults {
  readonly records: number;
  readonly pipeline: readonly number[];
  readonly noop: readonly number[];
}

/** Calls `start`, then resolves with the milliseconds until `done` is called. */
async function timeUntilDone(worker: Worker, arm: (done: () => void) => void): Promise<number> {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  arm(() => finish());
  const startedAt = performance.now();
  await worker.start();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([finished, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`a run did not finish within ${TIMEOUT_MS} ms`)), TIMEOUT_MS)))]);
    return performance.now() - startedAt;
  } finally {
    clearTimeout(timer);
    await worker.shutdown();
  }
}

export async function runEndToEndBench(kinesisStack: LocalStackProcess, s3: S3Client, bucket: string, records: number, rounds: number): Promise<EndToEndResults> {
  const kinesis = createKinesisClient(kinesisStack.endpoint);
  const dynamo = createDynamoDBClient(kinesisStack.dynamodbEndpoint);
  try {
    const streamName = uniqueName('conn-bench');
    await createStream(kinesis, streamName, SHARDS);
    const inputs = Array.from({ length: records }, (_, i) => ({ partitionKey: `pk-${i % 997}`, data: jsonRecordData(i) }));
    await writeBacklog(kinesis, streamName, inputs, PRODUCER_DEFAULTS.aggregationMaxBytes);
    const worker = (applicationName: string, processorFactory: (shardId: string) => RecordProcessor) =>
      new Worker({ streamName, applicationName, kinesisClient: kinesis, dynamoClient: dynamo, initialPosition: 'TRIM_HORIZON', idleTimeBetweenReadsMs: 200, processorFactory });

    const results = { pipeline: [] as number[], noop: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      for (const contender of round % 2 === 0 ? (['pipeline', 'noop'] as const) : (['noop', 'pipeline'] as const)) {
        const applicationName = uniqueName(`conn-bench-${contender}`);
        if (contender === 'pipeline') {
          const prefix = `e2e-${round}/`;
          const pipeline = createPipeline({
            streamName,
            transformer: new JsonTransformer(),
            emitter: new S3Emitter({ client: s3, bucket, prefix, recordDelimiter: '\n' }),
            buffer: { maxRecords: BATCH_SIZE, maxAgeMs: 200 },
          });
          let flushed = 0;
          const ms = await timeUntilDone(worker(applicationName, pipeline), (done) =>
            pipeline.on('flushed', (event) => {
              flushed += event.records;
              if (flushed === records) done();
            }),
          );
          await pipeline.shutdown();
          const found = await countLines(s3, bucket, prefix);
          check(found === records, `end to end: S3 holds ${found} of ${records} records (round ${round + 1})`);
          results.pipeline.push((records * 1000) / ms);
        } else {
          let seen = 0;
          let finish: () => void = () => undefined;
          const ms = await timeUntilDone(
            worker(applicationName, () => ({
              async processRecords({ records: batch, checkpointer }: ProcessRecordsInput) {
                seen += batch.length;
                await checkpointer.checkpoint();
                if (seen === records) finish();
              },
              async shardEnded({ checkpointer }) {
                await checkpointer.checkpoint();
              },
            })),
            (done) => (finish = done),
          );
          check(seen === records, `end to end: the no-op processor saw ${seen} of ${records} records`);
          results.noop.push((records * 1000) / ms);
        }
      }
    }
    return { records, ...results };
  } finally {
    kinesis.destroy();
    dynamo.destroy();
  }
}
export function describeEndToEnd(results: EndToEndResults): string {
  const row = (name: string, rates: readonly number[]) => [name, formatRate(quantile(rates, 0.5)), formatRate(Math.min(...rates)), formatRate(Math.max(...rates))];
  return [
    `End to end through a Worker: ${formatRate(results.records)} aggregated 100 B JSON records on ${SHARDS} shards (kinesalite, dynalite leases), from TRIM_HORIZON; ${results.pipeline.length} runs each`,
    formatTable(['Worker running', 'median rec/s', 'min', 'max'], [row(`pipeline → S3 (batches of ${BATCH_SIZE})`, results.pipeline), row('no-op processor (KCL ceiling)', results.noop)]),
    `pipeline ÷ no-op: ${(quantile(results.pipeline, 0.5) / quantile(results.noop, 0.5)).toFixed(2)}× (informational; no target)`,
  ].join('\n');
}
