import { awsCall } from '../awsCall';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { toDeliveredRow, type DeliveredRow } from './DemoRecord';
import { selectRowsSql } from './postgresTable';

/** Rows read back from a sink, and what could not be read as a row. */
export interface SinkContents {
  readonly rows: DeliveredRow[];
  /** Lines or rows that are not delivered demo rows (with why), at most a few. */
  readonly unreadable: string[];
  readonly unreadableCount: number;
  /** S3 objects read (0 for PostgreSQL). */
  readonly objects: number;
}

const UNREADABLE_SAMPLES = 5;
const GET_CONCURRENCY = 8;

/** Every JSON line of every object under `prefix` (ListObjectsV2, all pages; GetObject each). */
export async function readS3Rows(s3: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<SinkContents> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall(s3, new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }), 'S3', { signal });
    for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);

  const rows: DeliveredRow[] = [];
  const unreadable: string[] = [];
  let unreadableCount = 0;
  let next = 0;
  const readOne = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const object = await awsCall(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), 'S3', { signal });
      const text = (await object.Body?.transformToString('utf8')) ?? '';
      text.split('\n').forEach((line, index) => {
        if (line === '') return;
        try {
          rows.push(toDeliveredRow(JSON.parse(line)));
        } catch (error) {
          unreadableCount++;
          if (unreadable.length < UNREADABLE_SAMPLES) unreadable.push(`s3://${bucket}/${key} line ${index + 1}: ${(error as Error).message}`);
        }
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(GET_CONCURRENCY, keys.length) }, readOne));
  return { rows, unreadable, unreadableCount, objects: keys.length };
}

/** Every row of the demo table. */
export async function readPostgresRows(connectionString: string, table: string): Promise<SinkContents> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const result = await client.query(selectRowsSql(table));
    const rows: DeliveredRow[] = [];
    const unreadable: string[] = [];
    let unreadableCount = 0;
    for (const row of result.rows as unknown[]) {
      try {
        rows.push(toDeliveredRow(row));
      } catch (error) {
        unreadableCount++;
        if (unreadable.length < UNREADABLE_SAMPLES) unreadable.push(`${table}: ${(error as Error).message}`);
      }
    }
    return { rows, unreadable, unreadableCount, objects: 0 };
  } finally {
    await client.end();
  }
}
