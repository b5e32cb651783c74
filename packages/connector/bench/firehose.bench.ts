/**
 * Firehose delivery costs, same run, interleaved rounds, against s3rver:
 *
 * 1. S3 delivery with JSON → Parquet conversion, and with dynamic partitioning (jq, 20 partitions),
 *    as a ratio of plain newline-delimited delivery of the same records (FirehoseS3Emitter.emit
 *    of the same batches; time per record);
 * 2. the Parquet writers compared on the same rows: hyparquet-writer (the one used: pure
 *    JavaScript, no dependencies) against parquet-wasm (Rust's parquet crate in WebAssembly, with
 *    apache-arrow to build its input) — rows/s and file size.
 *
 *   npm run bench -- firehose
 *   BENCH_FIREHOSE_RECORDS=50000 BENCH_FIREHOSE_ROUNDS=7 npm run bench -- firehose
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { createBucket, startLocalStack } from '@kinesis-toolkit/testing';
import { describeEnvironment, formatRate, formatTable, positiveIntegerFromEnv, quantile } from '../../../scripts/bench-harness';
import { makeBatch } from '../test/emitters/makeBatch';
import { FirehoseS3Emitter } from '../src/emitters/firehose/FirehoseS3Emitter';
import { RecordSchema } from '../src/emitters/firehose/conversion/RecordSchema';
import { writeParquet } from '../src/emitters/firehose/conversion/writeParquet';

const RECORDS = positiveIntegerFromEnv('BENCH_FIREHOSE_RECORDS', 20_000);
const ROUNDS = positiveIntegerFromEnv('BENCH_FIREHOSE_ROUNDS', 5);
const COLUMNS = [
  { name: 'id', type: 'bigint' },
  { name: 'customer', type: 'string' },
  { name: 'amount', type: 'double' },
  { name: 'paid', type: 'boolean' },
  { name: 'at', type: 'timestamp' },
] as const;

function records(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    Buffer.from(`${JSON.stringify({ id: i, customer: `customer-${i % 20}`, amount: (i % 1000) * 1.25, paid: i % 3 === 0, at: 1_714_568_400_000 + i })}\n`),
  );
}

/** The part of parquet-wasm's node build the comparison uses (its subpath types need node16 resolution). */
interface ParquetWasm {
  Compression: { SNAPPY: unknown };
  WriterPropertiesBuilder: new () => { setCompression(codec: unknown): { build(): unknown } };
  Table: { fromIPCStream(ipc: Uint8Array): unknown };
  writeParquet(table: unknown, properties: unknown): Uint8Array;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function main(): Promise<void> {
  console.log(describeEnvironment());
  const stack = await startLocalStack();
  try {
    const bucket = await createBucket(stack.s3.client, `bench-firehose-${Date.now()}`);
    const items = records(RECORDS);
    const common = { client: stack.s3.client, bucket, errorOutputPrefix: 'errors/!{firehose:error-output-type}/' };
    const contenders: [string, FirehoseS3Emitter][] = [
      ['plain (newline-delimited JSON)', new FirehoseS3Emitter({ ...common, deliveryStreamName: 'plain', prefix: 'plain/' })],
      ['Parquet conversion', new FirehoseS3Emitter({ ...common, deliveryStreamName: 'parquet', prefix: 'parquet/', formatConversion: { enabled: true, columns: [...COLUMNS] } })],
      [
        'dynamic partitioning (jq, 20 partitions)',
        new FirehoseS3Emitter({ ...common, deliveryStreamName: 'dp', prefix: 'dp/c=!{partitionKeyFromQuery:c}/', dynamicPartitioning: { enabled: true, metadataExtractionQuery: '{c: .customer}' } }),
      ],
    ];
    for (const [, emitter] of contenders) await emitter.ready();
    const times = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
    let sequence = 1;
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [name, emitter] of contenders) {
        const batch = makeBatch(items, { firstSequence: sequence, batchId: `round-${round}-${name}` });
        sequence += items.length;
        const ms = await timed(() => emitter.emit(batch));
        if (round > 0) times.get(name)!.push(ms); // round 0 warms up
      }
    }
    const median = (name: string) => quantile(times.get(name)!, 0.5);
    const base = median(contenders[0]![0]);
    console.log(`\nS3 delivery of ${RECORDS} records per batch (median of ${ROUNDS} interleaved rounds, s3rver):\n`);
    console.log(
      formatTable(
        ['delivery', 'records/s', 'time per record vs plain'],
        contenders.map(([name]) => [name, formatRate(RECORDS / (median(name) / 1000)), `${(median(name) / base).toFixed(2)}×`]),
      ),
    );

    // The Parquet writers on the same rows (no S3).
    const schema = new RecordSchema('columns', COLUMNS);
    const rows = items.map((item) => schema.toRow(item.toString()));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const arrow = require('apache-arrow') as typeof import('apache-arrow');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const wasm = require('parquet-wasm/node') as ParquetWasm;
    const writers: [string, () => number][] = [
      ['hyparquet-writer (used)', () => writeParquet(schema, rows, 'SNAPPY').length],
      [
        'parquet-wasm + apache-arrow',
        () => {
          const table = arrow.tableFromArrays({
            id: BigInt64Array.from(rows, (r) => r[0] as bigint),
            customer: rows.map((r) => r[1] as string),
            amount: Float64Array.from(rows, (r) => r[2] as number),
            paid: rows.map((r) => r[3] as boolean),
            at: rows.map((r) => r[4] as Date),
          });
          const properties = new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.SNAPPY).build();
          return wasm.writeParquet(wasm.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), properties).length;
        },
      ],
    ];
    const writerTimes = new Map<string, number[]>(writers.map(([name]) => [name, []]));
    const sizes = new Map<string, number>();
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [name, write] of writers) {
        const started = performance.now();
        sizes.set(name, write());
        if (round > 0) writerTimes.get(name)!.push(performance.now() - started);
      }
    }
    const writerMedian = (name: string) => quantile(writerTimes.get(name)!, 0.5);
    const writerBase = writerMedian(writers[0]![0]);
    console.log(`\nParquet writers, ${RECORDS} rows, SNAPPY (median of ${ROUNDS} interleaved rounds):\n`);
    console.log(
      formatTable(
        ['writer', 'rows/s', 'time vs hyparquet-writer', 'file bytes'],
        writers.map(([name]) => [name, formatRate(RECORDS / (writerMedian(name) / 1000)), `${(writerMedian(name) / writerBase).toFixed(2)}×`, String(sizes.get(name))]),
      ),
    );
    for (const [, emitter] of contenders) emitter.shutdown();
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
