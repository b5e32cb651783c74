import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Pool } from 'pg';
import { createBucket, getTestStack, startPostgres, uniqueName, type PostgresServer, type TestStack } from '@kinesis-toolkit/testing';
import { makeBatch } from '../../test/emitters/makeBatch';
import { MappingEmitter } from './MappingEmitter';
import { PostgresEmitter, type PostgresRow } from './postgres/PostgresEmitter';
import { S3Emitter } from './s3/S3Emitter';
import { TeeEmitter } from './TeeEmitter';
import { stopPostgres } from '../../../../test/support/stopPostgres';

let stack: TestStack;
let s3: S3Client;
let bucket: string;
let server: PostgresServer;
let pool: Pool;

beforeAll(async () => {
  stack = getTestStack();
  s3 = stack.s3.client;
  bucket = await createBucket(s3, uniqueName('tee').toLowerCase());
  server = await startPostgres({ database: 'tee' });
  pool = new Pool({ connectionString: server.connectionString, max: 2 });
  await pool.query('CREATE TABLE orders (id integer NOT NULL, amount integer CHECK (amount >= 0), sequence_number numeric NOT NULL, sub_sequence_number integer NOT NULL, UNIQUE (sequence_number, sub_sequence_number))');
}, 60_000);
afterAll(async () => {
  await stopPostgres(pool, server);
  stack?.destroy();
});

describe('TeeEmitter with S3 and PostgreSQL (the demo set-up)', () => {
  it('archives to S3 and loads PostgreSQL; a row PostgreSQL refuses is rejected alone (never retried), and re-emission writes nothing twice', async () => {
    const archive = new S3Emitter({ client: s3, bucket, prefix: 'orders/', recordDelimiter: '\n' });
    const tee = new TeeEmitter<PostgresRow>([
      new MappingEmitter(archive, (row: PostgresRow) => JSON.stringify(row)),
      new PostgresEmitter({ pool, table: 'orders', columns: ['id', 'amount'] }),
    ]);
    const rows = [{ id: 1, amount: 10 }, { id: 2, amount: -1 }, { id: 3, amount: 30 }];
    const batch = makeBatch<PostgresRow>(rows);

    const first = await tee.emit(batch);
    expect(first.failed).toEqual([]);
    expect(first.rejected).toEqual([{ item: rows[1], error: expect.objectContaining({ code: 'InvalidItem', retryable: false, context: expect.objectContaining({ sqlState: '23514' }) }) }]);

    // A restart re-emits the whole batch: both sinks are idempotent.
    await tee.emit(batch);

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'orders/' }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual([archive.keyFor(batch)]);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: archive.keyFor(batch) }));
    expect(await object.Body!.transformToString()).toBe(`${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    const loaded = await pool.query('SELECT id, amount FROM orders ORDER BY id');
    expect(loaded.rows).toEqual([{ id: 1, amount: 10 }, { id: 3, amount: 30 }]);
  });
});
