/**
 * Benchmark 3, memory: records as fast as the producer's write stream takes them, into
 * kinesalite, with `maxOutstandingBytes` 64 MiB; this process's RSS sampled every 100 ms.
 * Records are made as the stream pulls them, so the input itself holds no memory.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { UserRecordInput } from '@kinesis-toolkit/aggregation';
import { KinesisProducer, PRODUCER_DEFAULTS } from '@kinesis-toolkit/kpl';
import { createKinesisClient, createStream, uniqueName } from '@kinesis-toolkit/testing';
import { formatMebibytes, formatRate, formatTable } from '../../../scripts/bench-harness';
import { check, DATA_BYTES, deleteStream, gc, KEY_LENGTH, MiB, seconds, shardMapOf, type BenchContext } from './benchSupport';
import { Settlements } from './feedProducer';
import { RecordFactory } from '../../../scripts/RecordFactory';
import { RssSampler } from './RssSampler';

const PEAK_RSS_TARGET_BYTES = 300 * MiB;
const SHARDS = 8;
const MAX_OUTSTANDING_BYTES = 64 * MiB;
const SAMPLE_MS = 100;
/** Records the write stream buffers before `write()` returns false. */
const STREAM_HIGH_WATER_MARK = 1000;

/** What {@link runMemoryBench} measured. */
export interface MemoryResult {
  readonly records: number;
  readonly elapsedMs: number;
  /** RSS after a full GC, just before the first record. */
  readonly baselineRss: number;
  readonly peakRss: number;
  readonly peakOutstandingRecords: number;
  readonly peakOutstandingBytes: number;
}

function* generate(factory: RecordFactory, count: number): Generator<UserRecordInput> {
  for (let i = 0; i < count; i++) yield factory.next();
}

/** Pipes `records` records into a producer; fails unless every one succeeded. */
export async function runMemoryBench({ stack, admin }: BenchContext, records: number): Promise<MemoryResult> {
  console.log(
    `\n[3/3] memory: ${records.toLocaleString('en-US')} records through createWriteStream(), maxOutstandingBytes ${MAX_OUTSTANDING_BYTES / MiB} MiB (run first, in a fresh heap)`,
  );
  const streamName = uniqueName('bench-memory');
  await createStream(admin, streamName, SHARDS);
  const client = createKinesisClient(stack.endpoint, { maxAttempts: 1 });
  const producer = new KinesisProducer({ streamName, kinesisClient: client, maxOutstandingBytes: MAX_OUTSTANDING_BYTES });
  await shardMapOf(producer);
  const factory = new RecordFactory(DATA_BYTES, KEY_LENGTH, 3);
  const settlements = new Settlements();
  gc?.();
  await sleep(50);
  gc?.();
  const baselineRss = process.memoryUsage.rss();

  let peakOutstandingRecords = 0;
  let peakOutstandingBytes = 0;
  const outstanding = setInterval(() => {
    peakOutstandingRecords = Math.max(peakOutstandingRecords, producer.outstandingRecords);
    peakOutstandingBytes = Math.max(peakOutstandingBytes, producer.outstandingBytes);
  }, SAMPLE_MS);
  const sampler = new RssSampler(SAMPLE_MS);
  sampler.start();
  const startedAt = performance.now();
  await pipeline(
    Readable.from(generate(factory, records)),
    producer.createWriteStream({
      highWaterMark: STREAM_HIGH_WATER_MARK,
      onSettled: (_record, error, result) => (error === undefined ? settlements.onSuccess(result!) : settlements.onFailure(error)),
    }),
  );
  const elapsedMs = performance.now() - startedAt;
  const { peakBytes } = sampler.stop();
  clearInterval(outstanding);
  await producer.close();
  client.destroy();
  await deleteStream(admin, streamName);
  check(settlements.succeeded === records, `memory: ${settlements.succeeded} of ${records} records succeeded; failures: ${settlements.describeFailures()}`);

  const result = { records, elapsedMs, baselineRss, peakRss: peakBytes, peakOutstandingRecords, peakOutstandingBytes };
  console.log(
    `  ${formatRate((records * 1000) / elapsedMs)} rec/s, ${seconds(elapsedMs)} s, RSS ${formatMebibytes(baselineRss)} → peak ${formatMebibytes(peakBytes)} MiB, ` +
      `peak outstanding ${peakOutstandingRecords} records / ${formatMebibytes(peakOutstandingBytes)} MiB`,
  );
  return result;
}

/** The results table, with the target and what the columns mean. */
export function describeMemory(result: MemoryResult): string {
  const row = [
    `maxOutstandingBytes ${MAX_OUTSTANDING_BYTES / MiB} MiB, other options default`,
    result.records.toLocaleString('en-US'),
    formatRate((result.records * 1000) / result.elapsedMs),
    seconds(result.elapsedMs),
    formatMebibytes(result.baselineRss),
    formatMebibytes(result.peakRss),
    formatMebibytes(result.peakRss - result.baselineRss),
    `${result.peakOutstandingRecords} rec / ${formatMebibytes(result.peakOutstandingBytes)} MiB`,
    `≤ ${formatMebibytes(PEAK_RSS_TARGET_BYTES)} MiB`,
    result.peakRss <= PEAK_RSS_TARGET_BYTES ? 'PASS' : 'BELOW',
  ];
  return [
    `3. Memory: ${DATA_BYTES} B records as fast as createWriteStream() takes them (highWaterMark ${STREAM_HIGH_WATER_MARK}), into kinesalite, ${SHARDS} shards`,
    '',
    formatTable(['setting', 'records', 'rec/s', 'time s', 'baseline RSS MiB', 'peak RSS MiB', 'peak − baseline', 'peak outstanding', 'target', 'verdict'], [row]),
    '',
    `RSS of this process (kinesalite runs in another), sampled every ${SAMPLE_MS} ms; baseline after a full GC, before the first record,`,
    `and includes ts-node with the TypeScript compiler, which the benchmarks run under. peak outstanding: sampled with the RSS.`,
    ...(result.peakOutstandingRecords >= PRODUCER_DEFAULTS.maxOutstandingRecords
      ? [`The bound that held was maxOutstandingRecords (${PRODUCER_DEFAULTS.maxOutstandingRecords}, default), long before maxOutstandingBytes.`]
      : []),
  ].join('\n');
}
