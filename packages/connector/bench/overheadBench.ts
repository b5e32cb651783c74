/**
 * The pipeline's own overhead, per sink: the same 100-byte JSON records, in the same batch
 * sizes, written to the same sink by
 *
 * - **pipeline** — `createPipeline(...)(shardId).processRecords(...)` with a no-op checkpointer:
 *   transformer (UTF-8 check + JSON.parse), buffer, flush on count, `toEmittable`, emit through
 *   the batch delivery (retry bookkeeping, events), checkpoint call;
 * - **bare loop** — JSON.parse of each record (plus JSON.stringify for S3) and one call of the
 *   same emitter with the records as the batch's sources: the least any code must do to write
 *   those records there.
 *
 * One call = one batch. Interleaved rounds (scripts/bench-harness `compare`); medians and
 * per-round ratios. Afterwards every record each contender made is looked for in the sink: a
 * missing one fails the run.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createPipeline, JsonTransformer, PostgresEmitter, S3Emitter, type EmitBatch, type Emitter, type PostgresRow, type Transformer } from '@kinesis-toolkit/connector';
import type { UserRecord } from '@kinesis-toolkit/kcl';
import type { Pool } from 'pg';
import { check, compare, type Comparison } from '../../../scripts/bench-harness';
import { NoopCheckpointer, RecordBatches } from './benchRecords';

const SHARD_ID = 'shardId-000000000000';
const STREAM_NAME = 'connector-bench';

/** What a sink comparison measured. */
export interface SinkComparison {
  readonly sink: string;
  readonly batchSize: number;
  readonly comparison: Comparison;
  /** Records each contender wrote, as found in the sink afterwards. */
  readonly verified: { readonly pipeline: number; readonly bare: number };
}

/** Timing of one comparison: see `compare` in scripts/bench-harness. */
export interface OverheadSettings {
  readonly rounds: number;
  readonly roundMs: number;
  readonly warmupMs: number;
}

/** The batch as the bare loop hands it to the emitter: the records themselves are the sources. */
function bareBatch<U>(records: readonly UserRecord[], items: readonly U[]): EmitBatch<U> {
  const first = records[0]!;
  const last = records[records.length - 1]!;
  return {
    streamName: STREAM_NAME,
    shardId: SHARD_ID,
    batchId: `${SHARD_ID}-${first.sequenceNumber}.${first.subSequenceNumber}-${last.sequenceNumber}.${last.subSequenceNumber}`,
    items,
    sources: records,
    first,
    last,
    attempt: 1,
  };
}

async function emitAll<U>(emitter: Emitter<U>, batch: EmitBatch<U>): Promise<void> {
  const { failed } = await emitter.emit(batch);
  check(failed.length === 0, `the bare loop's emit failed ${failed.length} item(s)`);
}

/** Runs the comparison for one sink, given both contenders' emitters and how the pipeline transforms. */
async function compareOnSink<T, U>(
  sink: string,
  batchSize: number,
  settings: OverheadSettings,
  setup: {
    readonly transformer: Transformer<T, U>;
    readonly pipelineEmitter: Emitter<U>;
    readonly bareEmitter: Emitter<U>;
    /** What the bare loop does to each record: the same conversion the transformer makes. */
    readonly convert: (record: UserRecord) => U;
    /** Counts the records found in the sink for each contender. */
    readonly count: () => Promise<{ pipeline: number; bare: number }>;
  },
): Promise<SinkComparison> {
  // Positions of the same length, apart: neither contender's records can stand in for the other's.
  const pipelineRecords = new RecordBatches(batchSize, 10n ** 40n);
  const bareRecords = new RecordBatches(batchSize, 2n * 10n ** 40n);
  const checkpointer = new NoopCheckpointer();
  const pipeline = createPipeline<T, U>({
    streamName: STREAM_NAME,
    transformer: setup.transformer,
    emitter: setup.pipelineEmitter,
    // Flushed by count on every call; the byte and age thresholds never fire.
    buffer: { maxRecords: batchSize, maxBytes: 1024 * 1024 * 1024, maxAgeMs: 3_600_000 },
  });
  const processor = pipeline(SHARD_ID);
  const { convert, bareEmitter } = setup;

  const comparison = await compare(
    {
      candidate: {
        name: 'pipeline',
        run: () => processor.processRecords({ records: pipelineRecords.next(), millisBehindLatest: 0, checkpointer: checkpointer.asCheckpointer }),
      },
      baseline: {
        name: 'bare loop',
        run: () => {
          const records = bareRecords.next();
          return emitAll(bareEmitter, bareBatch(records, records.map(convert)));
        },
      },
    },
    settings,
  );
  await pipeline.shutdown();

  // Nothing lost: the pipeline checkpointed once per batch, at the last record made, and the
  // sink holds every record of both contenders.
  const batches = pipelineRecords.made / batchSize;
  check(checkpointer.calls === batches, `${sink}: the pipeline checkpointed ${checkpointer.calls} times for ${batches} batches`);
  const lastMade = pipelineRecords.made - 1;
  const expectedLast = `${(10n ** 40n + BigInt(Math.floor(lastMade / 50))).toString()}/${lastMade % 50}`;
  check(`${checkpointer.last?.sequenceNumber}/${checkpointer.last?.subSequenceNumber}` === expectedLast, `${sink}: the last checkpoint is not the last record fed`);
  const verified = await setup.count();
  check(verified.pipeline === pipelineRecords.made, `${sink}: the sink holds ${verified.pipeline} of the pipeline's ${pipelineRecords.made} records`);
  check(verified.bare === bareRecords.made, `${sink}: the sink holds ${verified.bare} of the bare loop's ${bareRecords.made} records`);
  return { sink, batchSize, comparison, verified };
}

/** Lines in every object under `prefix` (objects read back, a few at a time). */
export async function countLines(client: S3Client, bucket: string, prefix: string): Promise<number> {
  const keys: string[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: continuationToken }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    continuationToken = page.NextContinuationToken;
  } while (continuationToken !== undefined);
  let lines = 0;
  const next = keys[Symbol.iterator]();
  const reader = async (): Promise<void> => {
    for (let step = next.next(); !step.done; step = next.next()) {
      const body = await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: step.value }))).Body!.transformToString();
      for (const line of body.split('\n')) if (line !== '') lines++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, reader));
  return lines;
}

/** 100 B JSON records → JSON lines in one S3 object per batch (s3rver). */
export function compareS3(client: S3Client, bucket: string, batchSize: number, settings: OverheadSettings): Promise<SinkComparison> {
  const emitter = (prefix: string) => new S3Emitter({ client, bucket, prefix, recordDelimiter: '\n' });
  const pipelinePrefix = `pipeline-${batchSize}/`;
  const barePrefix = `bare-${batchSize}/`;
  return compareOnSink('S3 (s3rver)', batchSize, settings, {
    transformer: new JsonTransformer(),
    pipelineEmitter: emitter(pipelinePrefix),
    bareEmitter: emitter(barePrefix),
    convert: (record) => JSON.stringify(JSON.parse(record.data.toString('utf8'))),
    count: async () => ({ pipeline: await countLines(client, bucket, pipelinePrefix), bare: await countLines(client, bucket, barePrefix) }),
  });
}

const COLUMNS = ['id', 'customer', 'amount', 'currency', 'note'];

/** 100 B JSON records → rows in PostgreSQL (embedded), one COPY + INSERT … ON CONFLICT per batch. */
export async function comparePostgres(pool: Pool, batchSize: number, settings: OverheadSettings): Promise<SinkComparison> {
  const tables = { pipeline: `bench_pipeline_${batchSize}`, bare: `bench_bare_${batchSize}` };
  for (const table of Object.values(tables)) {
    await pool.query(
      `CREATE TABLE ${table} (id integer, customer text, amount numeric, currency text, note text, sequence_number numeric NOT NULL, sub_sequence_number integer NOT NULL, UNIQUE (sequence_number, sub_sequence_number))`,
    );
  }
  const json = new JsonTransformer<PostgresRow>();
  // Records → rows: JSON.parse, and the row is what the emitter writes.
  const rows: Transformer<PostgresRow, PostgresRow> = { toItem: (record) => json.toItem(record), toEmittable: (row) => row };
  const count = async (table: string) => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  return compareOnSink('PostgreSQL', batchSize, settings, {
    transformer: rows,
    pipelineEmitter: new PostgresEmitter({ pool, table: tables.pipeline, columns: COLUMNS }),
    bareEmitter: new PostgresEmitter({ pool, table: tables.bare, columns: COLUMNS }),
    convert: (record) => JSON.parse(record.data.toString('utf8')) as PostgresRow,
    count: async () => ({ pipeline: await count(tables.pipeline), bare: await count(tables.bare) }),
  });
}
