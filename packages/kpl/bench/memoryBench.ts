/**
 * Benchmark 3, memory: records as fast as the producer's write stream takes them, into
 * kinesalite, with `maxOutstandingBytes` 64 MiB; the producer's RSS sampled every 100 ms. The
 * producer runs in a plain node child on the built package (memoryChild.js), as in a service.
 * Records are made as the stream pulls them, so the input itself holds no memory.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { PRODUCER_DEFAULTS } from '@kinesis-toolkit/kpl';
import { createStream, uniqueName } from '@kinesis-toolkit/testing';
import { formatMebibytes, formatRate, formatTable } from '../../../scripts/bench-harness';
import { check, DATA_BYTES, deleteStream, MiB, seconds, type BenchContext } from './benchSupport';

const PEAK_RSS_TARGET_BYTES = 300 * MiB;
const SHARDS = 8;
const MAX_OUTSTANDING_BYTES = 64 * MiB;
/** The measured side, in plain node on the built package. */
const CHILD = join(__dirname, 'memoryChild.js');
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

/** Pipes `records` records into a producer in a plain-node child (memoryChild.js); fails unless every one succeeded. */
export async function runMemoryBench({ stack, admin }: BenchContext, records: number): Promise<MemoryResult> {
  console.log(
    `\n[3/3] memory: ${records.toLocaleString('en-US')} records through createWriteStream(), maxOutstandingBytes ${MAX_OUTSTANDING_BYTES / MiB} MiB, in a plain node process on the built package`,
  );
  const streamName = uniqueName('bench-memory');
  await createStream(admin, streamName, SHARDS);
  const child = spawn(process.execPath, ['--expose-gc', CHILD, stack.endpoint, streamName, String(records), String(MAX_OUTSTANDING_BYTES)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  await deleteStream(admin, streamName);
  check(code === 0, `memory: the child process exited with ${code}`);
  const measured = JSON.parse(output.trim().split('\n').at(-1)!) as MemoryResult & { succeeded: number; failures: string[] };
  check(measured.succeeded === records, `memory: ${measured.succeeded} of ${records} records succeeded; failures: ${measured.failures.join('; ') || 'none'}`);
  const result: MemoryResult = {
    records,
    elapsedMs: measured.elapsedMs,
    baselineRss: measured.baselineRss,
    peakRss: measured.peakRss,
    peakOutstandingRecords: measured.peakOutstandingRecords,
    peakOutstandingBytes: measured.peakOutstandingBytes,
  };
  console.log(
    `  ${formatRate((records * 1000) / result.elapsedMs)} rec/s, ${seconds(result.elapsedMs)} s, RSS ${formatMebibytes(result.baselineRss)} → peak ${formatMebibytes(result.peakRss)} MiB, ` +
      `peak outstanding ${result.peakOutstandingRecords} records / ${formatMebibytes(result.peakOutstandingBytes)} MiB`,
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
    `RSS of the producer's process — plain node on the built package, as a service runs it (kinesalite runs in another) — sampled every`,
    `100 ms; baseline after a full GC, before the first record. peak outstanding: sampled with the RSS.`,
    ...(result.peakOutstandingRecords >= PRODUCER_DEFAULTS.maxOutstandingRecords
      ? [`The bound that held was maxOutstandingRecords (${PRODUCER_DEFAULTS.maxOutstandingRecords}, default), long before maxOutstandingBytes.`]
      : []),
  ].join('\n');
}
