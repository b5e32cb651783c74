import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { gunzipSync } from 'node:zlib';
import { Client } from 'pg';
import { createBucket, getTestStack, startPostgres, uniqueName, type PostgresServer, type TestStack } from '@kinesis-toolkit/testing';
import { makeBatch, retryOf, sequenceNumber } from '../../../test/emitters/makeBatch';
import { EmitterError } from '../EmitterError';
import { RedshiftEmitter } from './RedshiftEmitter';
import type { SqlExecutor } from './SqlExecutor';

const ROLE = 'arn:aws:iam::123456789012:role/RedshiftCopy';
let stack: TestStack;
let s3: S3Client;
let bucket: string;
let server: PostgresServer;
let db: Client;

beforeAll(async () => {
  stack = getTestStack();
  s3 = stack.s3.client;
  bucket = await createBucket(s3, uniqueName('redshift').toLowerCase());
  server = await startPostgres({ database: 'warehouse' });
  db = new Client({ connectionString: server.connectionString });
  await db.connect();
}, 60_000);
afterAll(async () => {
  await db?.end();
  await server?.stop();
  stack?.destroy();
});

async function readBytes(url: string): Promise<Buffer> {
  const key = url.replace(`s3://${bucket}/`, '');
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}
const readText = async (url: string): Promise<string> => (await readBytes(url)).toString();

/**
 * Stands in for Redshift: every statement runs on a real PostgreSQL session, except COPY … FROM
 * 's3://…' MANIFEST, which PostgreSQL lacks — it is carried out here the way Redshift would: read
 * the manifest from S3, read each file it lists, insert one row per line, inside the open
 * transaction. Every statement is recorded. `failCopy` makes the next COPY fail.
 */
class PostgresAsRedshift implements SqlExecutor {
  readonly statements: string[] = [];
  failCopy: Error | undefined;

  async query(sql: string, params?: unknown[]): Promise<{ rows: readonly unknown[] }> {
    this.statements.push(sql);
    const copy = /^COPY (\S+) FROM '([^']+)' IAM_ROLE '[^']+' MANIFEST/.exec(sql);
    if (copy === null) return db.query(sql, params);
    if (this.failCopy !== undefined) {
      const error = this.failCopy;
      this.failCopy = undefined;
      throw error;
    }
    const manifest = JSON.parse(await readText(copy[2]!)) as { entries: { url: string; mandatory: boolean }[] };
    for (const entry of manifest.entries) {
      const bytes = await readBytes(entry.url);
      const lines = (/ MANIFEST GZIP/.test(sql) ? gunzipSync(bytes) : bytes).toString().split('\n').filter((line) => line.length > 0);
      for (const line of lines) await db.query(`INSERT INTO ${copy[1]} (line) VALUES ($1)`, [line]);
    }
    return { rows: [] };
  }
}

let tableCount = 0;
async function createTarget(): Promise<string> {
  tableCount += 1;
  const table = `target_${tableCount}`;
  await db.query(`CREATE TABLE ${table} (line text)`);
  return table;
}

const linesOf = async (table: string): Promise<string[]> => (await db.query(`SELECT line FROM ${table} ORDER BY line`)).rows.map((row) => row.line as string);

describe('RedshiftEmitter (S3 on s3rver, SQL on PostgreSQL standing in for Redshift)', () => {
  it('stages the file and a manifest in S3, then COPYs it and records it in one transaction', async () => {
    const table = await createTarget();
    const executor = new PostgresAsRedshift();
    const emitter = new RedshiftEmitter({ s3Client: s3, bucket, executor, table, iamRoleArn: ROLE, prefix: 'rs/!{timestamp:yyyy/MM/dd}/', copyOptions: "FORMAT AS JSON 'auto'" });
    const batch = makeBatch(['{"n":1}', '{"n":2}', '{"n":3}']);

    await expect(emitter.emit(batch)).resolves.toEqual({ failed: [] });

    const files = emitter.filesFor(batch);
    const name = `orders-shardId-000000000001-${sequenceNumber(1)}-0-${sequenceNumber(3)}-0`;
    expect(files).toEqual({ dataUrl: `s3://${bucket}/rs/2024/05/01/${name}`, manifestKey: `rs/2024/05/01/${name}.manifest`, manifestUrl: `s3://${bucket}/rs/2024/05/01/${name}.manifest` });
    expect(await readText(files.dataUrl)).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    expect(JSON.parse(await readText(files.manifestUrl))).toEqual({ entries: [{ url: files.dataUrl, mandatory: true }] });
    expect(executor.statements).toEqual([
      'CREATE TABLE IF NOT EXISTS "kinesis_toolkit_loaded_files" (file_url VARCHAR(1024) NOT NULL PRIMARY KEY, loaded_at TIMESTAMP NOT NULL)',
      'BEGIN',
      'LOCK "kinesis_toolkit_loaded_files"',
      'SELECT 1 FROM "kinesis_toolkit_loaded_files" WHERE file_url = $1',
      `COPY "${table}" FROM '${files.manifestUrl}' IAM_ROLE '${ROLE}' MANIFEST FORMAT AS JSON 'auto'`,
      'INSERT INTO "kinesis_toolkit_loaded_files" (file_url, loaded_at) VALUES ($1, $2)',
      'COMMIT',
    ]);
    expect(await linesOf(table)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('never loads a file twice: a retried or re-emitted batch only checks the tracking table', async () => {
    const table = await createTarget();
    const executor = new PostgresAsRedshift();
    const emitter = new RedshiftEmitter({ s3Client: s3, bucket, executor, table, iamRoleArn: ROLE, prefix: 'twice/' });
    const batch = makeBatch(['a', 'b'], { firstSequence: 100 });
    await emitter.emit(batch);
    executor.statements.length = 0;

    await emitter.emit(batch);
    await emitter.emit(retryOf(batch, [0, 1]));
    // A fresh emitter (a restarted worker) consults the same table.
    await new RedshiftEmitter({ s3Client: s3, bucket, executor, table, iamRoleArn: ROLE, prefix: 'twice/' }).emit(batch);

    expect(executor.statements.filter((sql) => sql.startsWith('COPY'))).toEqual([]);
    expect(await linesOf(table)).toEqual(['a', 'b']);
    const tracked = await db.query('SELECT file_url FROM kinesis_toolkit_loaded_files WHERE file_url = $1', [emitter.filesFor(batch).dataUrl]);
    expect(tracked.rowCount).toBe(1);
  });

  it('rolls back when the COPY fails, so the file is neither recorded nor half-loaded, and a retry loads it', async () => {
    const table = await createTarget();
    const executor = new PostgresAsRedshift();
    const emitter = new RedshiftEmitter({ s3Client: s3, bucket, executor, table, iamRoleArn: ROLE, prefix: 'rollback/', compression: 'gzip' });
    const batch = makeBatch(['x'], { firstSequence: 200 });
    executor.failCopy = Object.assign(new Error('Load into table failed'), { code: 'XX000' });

    const error = await emitter.emit(batch).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmitterError);
    expect(error).toMatchObject({ code: 'RedshiftLoadFailed', retryable: false, context: { sqlState: 'XX000', file: emitter.filesFor(batch).dataUrl } });
    expect(executor.statements.at(-1)).toBe('ROLLBACK');
    expect(executor.statements.find((sql) => sql.startsWith('COPY'))).toMatch(/ MANIFEST GZIP$/);
    expect((await db.query('SELECT 1 FROM kinesis_toolkit_loaded_files WHERE file_url = $1', [emitter.filesFor(batch).dataUrl])).rowCount).toBe(0);

    executor.failCopy = Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
    await expect(emitter.emit(batch)).rejects.toMatchObject({ retryable: true });
    await expect(emitter.emit(batch)).resolves.toEqual({ failed: [] });
    expect(await linesOf(table)).toEqual(['x']);
  });

  it('throws S3WriteFailed before any SQL when the bucket is missing', async () => {
    const executor = new PostgresAsRedshift();
    const emitter = new RedshiftEmitter({ s3Client: s3, bucket: 'no-such-bucket-kt', executor, table: 't', iamRoleArn: ROLE });
    await expect(emitter.emit(makeBatch(['a']))).rejects.toMatchObject({ code: 'S3WriteFailed', retryable: false });
    expect(executor.statements).toEqual([]);
  });

  it('quotes the table, columns and literals in the COPY', () => {
    const executor = new PostgresAsRedshift();
    const emitter = new RedshiftEmitter({ s3Client: s3, bucket, executor, schema: 'My Schema', table: 'ev"ents', columns: ['a', 'B'], iamRoleArn: ROLE, copyOptions: ' CSV ' });
    expect(emitter.copyStatement("s3://b/it's.manifest")).toBe(
      `COPY "My Schema"."ev""ents" ("a", "B") FROM 's3://b/it''s.manifest' IAM_ROLE '${ROLE}' MANIFEST CSV`,
    );
  });

  it('rejects bad options with a TypeError', () => {
    const executor = new PostgresAsRedshift();
    expect(() => new RedshiftEmitter({ s3Client: s3, bucket, executor, table: 't', iamRoleArn: "arn:aws:iam::1:role/x' --" })).toThrow(/iamRoleArn: expected an IAM role ARN/);
    expect(() => new RedshiftEmitter({ s3Client: s3, bucket, table: 't', iamRoleArn: ROLE })).toThrow(/executor: expected a SqlExecutor/);
    expect(() => new RedshiftEmitter({ s3Client: s3, bucket, executor, iamRoleArn: ROLE })).toThrow('table: expected a non-empty string, got undefined');
  });
});
