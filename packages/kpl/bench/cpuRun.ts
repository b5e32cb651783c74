/**
 * One measured run of the hot-path benchmarks: a producer (or aws-kinesis-agg's loop) over an
 * {@link InstantKinesisClient}, timed in CPU (this process's user + system time, GC threads
 * included) and wall time. Shared by cpuBench.ts and outstandingBench.ts.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UserRecordInput } from '@kinesis-toolkit/aggregation';
import { KinesisProducer, type ProducerOptions } from '@kinesis-toolkit/kpl';
import { check, gc, MiB, shardMapOf } from './benchSupport';
import { feedWithDrain, Settlements } from './feedProducer';
import { InstantKinesisClient } from './InstantKinesisClient';
import { putWithAwsKinesisAgg, type TheirLoopOptions } from './putWithAwsKinesisAgg';

/** Their loop: what a careful user writes around aws-kinesis-agg (as in the throughput benchmark). */
export const THEIR_LOOP: TheirLoopOptions = { maxEntriesPerRequest: 500, maxBytesPerRequest: 5 * MiB, maxConcurrentRequests: 8, maxAttempts: 3 };

/** What one run cost. */
export interface CpuRun {
  /** CPU microseconds (user + system) per user record. */
  readonly cpuUsPerRecord: number;
  readonly wallMs: number;
  /** Median of `outstandingRecords`, sampled every 20 ms while records were fed (ours only). */
  readonly medianOutstanding?: number;
}

/** How a run feeds the producer. */
export type Feed = 'put' | 'stream';

const SAMPLE_MS = 20;

async function measure(run: () => Promise<void>, count: number): Promise<Omit<CpuRun, 'medianOutstanding'>> {
  gc?.();
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  await run();
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuUsPerRecord: (cpu.user + cpu.system) / count, wallMs: performance.now() - startedAt };
}

/** `records` through a KinesisProducer with `options` over `shards` instant shards, by put() (with 'drain' backpressure) or a write stream. */
export async function runOurs(records: readonly UserRecordInput[], shards: number, options: Partial<ProducerOptions>, feed: Feed = 'put'): Promise<CpuRun> {
  const client = new InstantKinesisClient(shards);
  const producer = new KinesisProducer({ streamName: 'bench', kinesisClient: client.asClient(), ...options });
  await shardMapOf(producer);
  const settlements = new Settlements();
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(producer.outstandingRecords), SAMPLE_MS);
  const measured = await measure(async () => {
    if (feed === 'put') {
      let index = 0;
      await feedWithDrain(producer, () => records[index++], settlements);
    } else {
      await pipeline(
        Readable.from(records),
        producer.createWriteStream({ highWaterMark: 1000, onSettled: (_record, error, result) => (error === undefined ? settlements.onSuccess(result!) : settlements.onFailure(error)) }),
      );
    }
    clearInterval(sampler);
    await producer.close();
  }, records.length);
  clearInterval(sampler);
  check(settlements.succeeded === records.length, `ours: ${settlements.succeeded} of ${records.length} records acknowledged; failures: ${settlements.describeFailures()}`);
  samples.sort((a, b) => a - b);
  return { ...measured, medianOutstanding: samples[Math.floor(samples.length / 2)] ?? 0 };
}

/** `records` through aws-kinesis-agg's aggregate() and a PutRecords loop over `shards` instant shards. */
export async function runTheirs(records: readonly UserRecordInput[], shards: number): Promise<CpuRun> {
  const client = new InstantKinesisClient(shards);
  let lost = 0;
  const measured = await measure(async () => {
    lost = (await putWithAwsKinesisAgg(records, client.asClient(), 'bench', THEIR_LOOP)).lostAggregates;
  }, records.length);
  const payload = records.reduce((sum, record) => sum + record.data.length, 0);
  check(lost === 0 && client.dataBytes >= payload, `theirs: ${lost} aggregates lost, ${client.dataBytes} bytes stored for ${payload} of payload`);
  return measured;
}
