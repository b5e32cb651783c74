import { S3Client } from '@aws-sdk/client-s3';
import { Pool } from 'pg';
import { MappingEmitter, PostgresEmitter, S3Emitter, TeeEmitter, type PostgresRow } from '@kinesis-toolkit/connector';

const s3 = new S3Client({ maxAttempts: 1 });
const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const archive = new S3Emitter({ client: s3, bucket: 'archive', prefix: 'orders/!{timestamp:yyyy/MM/dd/HH}/', recordDelimiter: '\n', compression: 'gzip' });
const emitter = new TeeEmitter<PostgresRow>([
  new MappingEmitter(archive, (row: PostgresRow) => JSON.stringify(row)),
  new PostgresEmitter({ pool, table: 'orders', columns: ['id', 'amount'] }),
]);
export {};
