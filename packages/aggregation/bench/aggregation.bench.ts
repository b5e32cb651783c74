/**
 * @kinesis-toolkit/aggregation against aws-kinesis-agg (the AWS Labs library) on the same
 * inputs: aggregation, and de-aggregation of SDK v3 records with the MD5 verified, over record
 * sizes × partition-key patterns. Targets are printed, never enforced; a wrong result (user
 * records lost or changed) fails the run.
 *
 * Both libraries must MD5 every aggregated byte, so each row also measures that hashing alone
 * in the same rounds: the "MD5 ceiling" is the best ratio any implementation could reach.
 *
 * Then the long fuzz run: `deaggregate` against the reference decoder on hostile records (the
 * unit suite's property, `BENCH_FUZZ_RUNS` cases instead of 12,000). A mismatch fails the run.
 *
 *   npm run bench -- aggregation
 *   BENCH_FUZZ_RUNS=1000000 npm run bench -- aggregation
 */
import { aggregate, deaggregate, type KinesisRecordOutput, type SdkKinesisRecord, type UserRecordInput } from '@kinesis-toolkit/aggregation';
import * as awsKinesisAggModule from 'aws-kinesis-agg';
import awsKinesisAggPackage from 'aws-kinesis-agg/package.json';
import { hash } from 'node:crypto';
import {
  compare,
  describeEnvironment,
  formatMegabytes,
  formatRate,
  formatRatio,
  formatTable,
  positiveIntegerFromEnv,
  verdict,
  seededRandom,
  type Comparison,
} from '../../../scripts/bench-harness';
import { runFuzz } from './fuzzRun';

/** Hostile records in the long fuzz run. */
const FUZZ_RUNS = positiveIntegerFromEnv('BENCH_FUZZ_RUNS', 100_000);

/** Aggregation should be at least this many times faster than aws-kinesis-agg's `aggregate`. */
const AGGREGATION_TARGET = 2;
/** De-aggregation with MD5 should be at least this many times faster than its `deaggregateSync`. */
const DEAGGREGATION_TARGET = 4;
/** User payload per timed call: enough for two full 1 MiB aggregates and a partial one. */
const BATCH_PAYLOAD_BYTES = 2.5 * 1024 * 1024;
const RECORD_SIZES_BYTES = [100, 1024] as const;
const KEY_PATTERNS = ['random', 'repeated'] as const;
type KeyPattern = (typeof KEY_PATTERNS)[number];
const RANDOM_KEY_LENGTH = 16;

/** An aggregate as aws-kinesis-agg hands it to the encoded-record handler. */
interface TheirEncodedRecord {
  readonly partitionKey: string;
  readonly data: Buffer;
}

/** A user record as aws-kinesis-agg's `deaggregateSync` gives it for an SDK v3 input. */
interface TheirUserRecord {
  readonly PartitionKey: string;
  /** Base64 of the user record's bytes. */
  readonly Data: string;
}

/** The part of aws-kinesis-agg driven here (its own typings need aws-sdk v2 and aws-lambda). */
interface AwsKinesisAgg {
  aggregate(
    records: readonly UserRecordInput[],
    encodedRecordHandler: (encoded: TheirEncodedRecord, done: (error?: Error) => void) => void,
    afterPutAggregatedRecords: () => void,
    errorCallback: (error: Error) => void,
  ): void;
  deaggregateSync(
    record: SdkKinesisRecord,
    computeChecksums: boolean,
    afterRecordCallback: (error: Error | null | undefined, userRecords?: TheirUserRecord[]) => void,
  ): void;
}
const awsKinesisAgg = awsKinesisAggModule as unknown as AwsKinesisAgg;

/** One cell of the matrix: the input, built once and shared by both libraries. */
interface BenchCase {
  readonly label: string;
  readonly records: readonly UserRecordInput[];
  readonly payloadBytes: number;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function makeCase(recordBytes: number, keys: KeyPattern): BenchCase {
  const random = seededRandom(recordBytes * 31 + keys.length);
  const count = Math.ceil(BATCH_PAYLOAD_BYTES / recordBytes);
  const randomKey = (): string => {
    let key = '';
    for (let i = 0; i < RANDOM_KEY_LENGTH; i++) key += KEY_ALPHABET[Math.floor(random() * KEY_ALPHABET.length)];
    return key;
  };
  const repeatedKey = randomKey();
  const records: UserRecordInput[] = [];
  for (let i = 0; i < count; i++) {
    const data = Buffer.allocUnsafe(recordBytes);
    for (let j = 0; j < recordBytes; j++) data[j] = Math.floor(random() * 256);
    records.push({ partitionKey: keys === 'random' ? randomKey() : repeatedKey, data });
  }
  const keyLabel = keys === 'random' ? `random ${RANDOM_KEY_LENGTH}-char keys` : 'one repeated key';
  return { label: `${recordBytes === 1024 ? '1 KiB' : `${recordBytes} B`}, ${keyLabel}`, records, payloadBytes: count * recordBytes };
}

/** aws-kinesis-agg's callback API as a promise; the handler calls back at once, so only encoding is timed. */
function aggregateWithTheirs(records: readonly UserRecordInput[]): Promise<TheirEncodedRecord[]> {
  return new Promise((resolve, reject) => {
    const encoded: TheirEncodedRecord[] = [];
    awsKinesisAgg.aggregate(
      records,
      (record, done) => {
        encoded.push(record);
        done();
      },
      () => resolve(encoded),
      reject,
    );
  });
}

function deaggregateWithOurs(records: readonly SdkKinesisRecord[]): number {
  let count = 0;
  for (const record of records) count += deaggregate(record).records.length;
  return count;
}

/** aws-kinesis-agg's de-aggregation with checksums, handing each record's user records to `accept`. */
function deaggregateWithTheirs(records: readonly SdkKinesisRecord[], accept: (userRecords: TheirUserRecord[]) => void): void {
  for (const record of records) {
    awsKinesisAgg.deaggregateSync(record, true, (error, userRecords) => {
      if (error) throw error;
      accept(userRecords!);
    });
  }
}

/** The timed form: counts, as {@link deaggregateWithOurs} does, so neither side copies results. */
function countWithTheirs(records: readonly SdkKinesisRecord[]): number {
  let count = 0;
  deaggregateWithTheirs(records, (userRecords) => (count += userRecords.length));
  return count;
}

function collectWithTheirs(records: readonly SdkKinesisRecord[]): TheirUserRecord[] {
  const all: TheirUserRecord[] = [];
  deaggregateWithTheirs(records, (userRecords) => {
    for (const userRecord of userRecords) all.push(userRecord);
  });
  return all;
}

/** Records as the SDK v3 returns them from GetRecords: `Data` a plain Uint8Array, not a Buffer. */
function asSdkRecords(outputs: readonly { readonly partitionKey: string; readonly data: Buffer }[]): SdkKinesisRecord[] {
  const arrival = new Date(Date.UTC(2024, 0, 1));
  return outputs.map((output, i) => ({
    Data: new Uint8Array(output.data),
    PartitionKey: output.partitionKey,
    SequenceNumber: (49_000_000_000_000_000_000n + BigInt(i)).toString(),
    ApproximateArrivalTimestamp: arrival,
  }));
}

/** The hashing every correct implementation must do: MD5 of each aggregate's protobuf part. */
function md5OfAggregates(aggregates: readonly Uint8Array[]): number {
  let checksumBytes = 0;
  for (const aggregate of aggregates) checksumBytes += hash('md5', aggregate.subarray(4, aggregate.length - 16), 'buffer').length;
  return checksumBytes;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`check failed: ${message}`);
}

const sumBytes = (outputs: readonly { readonly data: Uint8Array }[]): number => outputs.reduce((sum, output) => sum + output.data.length, 0);

/** Both libraries agree on the user records before anything is timed. */
async function checkAggregation(benchCase: BenchCase): Promise<{ ours: KinesisRecordOutput[]; theirs: TheirEncodedRecord[] }> {
  const { label, records } = benchCase;
  const ours = aggregate(records);
  const theirs = await aggregateWithTheirs(records);
  const ourCount = ours.reduce((sum, output) => sum + output.userRecordCount, 0);
  check(ourCount === records.length, `${label}: our aggregate() holds ${ourCount} user records, expected ${records.length}`);
  const theirCount = countWithTheirs(asSdkRecords(theirs));
  check(theirCount === records.length, `${label}: aws-kinesis-agg's aggregates hold ${theirCount} user records, expected ${records.length}`);
  const weReadTheirs = deaggregateWithOurs(asSdkRecords(theirs));
  check(weReadTheirs === records.length, `${label}: our deaggregate() reads ${weReadTheirs} user records from aws-kinesis-agg's aggregates`);
  return { ours, theirs };
}

function checkDeaggregation(label: string, records: readonly UserRecordInput[], input: readonly SdkKinesisRecord[]): void {
  const ourCount = deaggregateWithOurs(input);
  check(ourCount === records.length, `${label}: our deaggregate() gives ${ourCount} user records, expected ${records.length}`);
  const theirs = collectWithTheirs(input);
  check(theirs.length === records.length, `${label}: aws-kinesis-agg decodes ${theirs.length} user records from our aggregates, expected ${records.length}`);
  for (let i = 0; i < records.length; i++) {
    const expected = records[i]!;
    const got = theirs[i]!;
    check(got.PartitionKey === expected.partitionKey, `${label}: record ${i} came back with partition key ${got.PartitionKey}`);
    check(got.Data === Buffer.from(expected.data).toString('base64'), `${label}: record ${i} came back with different data`);
  }
}

interface Row {
  readonly label: string;
  readonly payloadBytes: number;
  readonly recordCount: number;
  /** Ours against theirs; its one reference is MD5 alone, the ceiling. */
  readonly comparison: Comparison;
  readonly efficiency?: readonly [ours: number, theirs: number];
}

function tableOf(rows: readonly Row[], target: number): string {
  const header = ['case', 'ours rec/s', 'ours MB/s', 'theirs rec/s', 'theirs MB/s', 'ours/theirs (IQR)', 'MD5 ceiling', 'target', 'verdict'];
  if (rows.some((row) => row.efficiency)) header.push('efficiency ours', 'efficiency theirs');
  return formatTable(
    header,
    rows.map(({ label, payloadBytes, recordCount, comparison, efficiency }) => {
      const { candidate, baselineCallsPerSec, references } = comparison;
      const cells = [
        label,
        formatRate(candidate.callsPerSec * recordCount),
        formatMegabytes(candidate.callsPerSec * payloadBytes),
        formatRate(baselineCallsPerSec * recordCount),
        formatMegabytes(baselineCallsPerSec * payloadBytes),
        formatRatio(candidate),
        `${references[0]!.ratio.toFixed(2)}×`,
        `≥ ${target}×`,
        verdict(candidate, target),
      ];
      if (efficiency) cells.push(`${(efficiency[0] * 100).toFixed(1)}%`, `${(efficiency[1] * 100).toFixed(1)}%`);
      return cells;
    }),
  );
}

async function main(): Promise<void> {
  console.log(`aggregation bench: @kinesis-toolkit/aggregation (ours) vs aws-kinesis-agg ${awsKinesisAggPackage.version} (theirs)`);
  console.log(describeEnvironment());
  const aggregationRows: Row[] = [];
  const deaggregationRows: Row[] = [];

  for (const recordBytes of RECORD_SIZES_BYTES) {
    for (const keys of KEY_PATTERNS) {
      const benchCase = makeCase(recordBytes, keys);
      const { label, records, payloadBytes } = benchCase;
      const { ours, theirs } = await checkAggregation(benchCase);
      const identical = ours.length === theirs.length && ours.every((output, i) => output.data.equals(theirs[i]!.data));

      const ourAggregates = ours.map((output) => output.data);
      const aggregation = await compare({
        candidate: { name: 'ours aggregate()', run: () => aggregate(records) },
        baseline: { name: 'aws-kinesis-agg aggregate()', run: () => aggregateWithTheirs(records) },
        references: [{ name: 'MD5 only', run: () => md5OfAggregates(ourAggregates) }],
      });
      aggregationRows.push({
        label,
        payloadBytes,
        recordCount: records.length,
        comparison: aggregation,
        efficiency: [payloadBytes / sumBytes(ours), payloadBytes / sumBytes(theirs)],
      });
      console.log(
        `  aggregation    ${label}: ${formatRatio(aggregation.candidate)}; ${ours.length} vs ${theirs.length} Kinesis records, bytes ${identical ? 'identical' : 'differ'}`,
      );

      // Input built once, outside the timed region: our aggregates, as SDK v3 records.
      const input = asSdkRecords(ours);
      checkDeaggregation(label, records, input);
      const inputData = input.map((record) => record.Data!);
      const deaggregation = await compare({
        candidate: { name: 'ours deaggregate()', run: () => deaggregateWithOurs(input) },
        baseline: { name: 'aws-kinesis-agg deaggregateSync()', run: () => countWithTheirs(input) },
        references: [{ name: 'MD5 only', run: () => md5OfAggregates(inputData) }],
      });
      deaggregationRows.push({ label, payloadBytes, recordCount: records.length, comparison: deaggregation });
      console.log(`  de-aggregation ${label}: ${formatRatio(deaggregation.candidate)}`);
    }
  }

  console.log(`\nAggregation: aggregate(records) vs aws-kinesis-agg aggregate(...) (handler calls back at once)\n`);
  console.log(tableOf(aggregationRows, AGGREGATION_TARGET));
  console.log(`\nDe-aggregation of SDK v3 records, MD5 verified: deaggregate(record) vs deaggregateSync(record, true, cb)\n`);
  console.log(tableOf(deaggregationRows, DEAGGREGATION_TARGET));
  console.log(
    `\nrec/s: user records per second; MB/s: user payload, 10^6 bytes per second. Medians over interleaved rounds;` +
      `\nours/theirs: median of per-round ratios (quartiles in brackets). MD5 ceiling: MD5 of the same aggregates alone` +
      `\nvs theirs, the most any implementation that checksums could gain. Efficiency: user payload bytes ÷ aggregated` +
      `\nData bytes. Batch: ${(BATCH_PAYLOAD_BYTES / 1048576).toFixed(1)} MiB of payload per call, default aggregate size limits of each library.`,
  );

  console.log(`\nFuzz: deaggregate() vs the reference decoder on ${FUZZ_RUNS} hostile records (test/fuzz)\n`);
  const fuzz = runFuzz(FUZZ_RUNS);
  console.log(fuzz.table);
  console.log(`\n${fuzz.summary}`);
  if (!fuzz.passed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
