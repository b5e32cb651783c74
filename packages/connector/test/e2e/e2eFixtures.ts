// Shared by the connector's end-to-end tests (producer → stream → Worker → pipeline → sink):
// JSON order records of about 100 bytes put through the KPL (aggregated), and the lease table's
// checkpoints read back.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDBLeaseStore } from '@kinesis-toolkit/kcl';
import { KinesisProducer, type PutResult } from '@kinesis-toolkit/kpl';
import { comparePositions } from '../../src/pipeline/positions';

/** A position in a shard, as the tests compare them. */
export interface Position {
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
}

/** The JSON record the tests produce: `{"id":7,"name":"order-7","pad":"…"}`, about 100 bytes. */
export function orderJson(id: number): string {
  const head = JSON.stringify({ id, name: `order-${id}` });
  return `${head.slice(0, -1)},"pad":"${'x'.repeat(Math.max(0, 90 - head.length))}"}`;
}

/** A put record with where it landed. */
export interface Produced extends PutResult {
  readonly data: string;
  readonly partitionKey: string;
}

/**
 * Puts `datas` (in order) through a KinesisProducer, KPL-aggregated, and resolves with where
 * each landed. Throws if no record was aggregated: these tests are about de-aggregated records.
 */
export async function produce(kinesis: KinesisClient, streamName: string, datas: readonly string[]): Promise<Produced[]> {
  const producer = new KinesisProducer({ streamName, kinesisClient: kinesis, recordMaxBufferedTimeMs: 50 });
  try {
    const results = await Promise.all(
      datas.map(async (data, i) => {
        const partitionKey = `key-${i % 37}`;
        const result = await producer.put({ partitionKey, data: Buffer.from(data) });
        return { ...result, data, partitionKey };
      }),
    );
    if (!results.some((result) => result.aggregated && result.subSequenceNumber > 0)) throw new Error('the producer aggregated nothing');
    return results;
  } finally {
    await producer.close();
  }
}

/** The last position put on each shard. */
export function lastPositions(produced: readonly Produced[]): Map<string, Position> {
  const last = new Map<string, Position>();
  for (const result of produced) {
    const previous = last.get(result.shardId);
    if (previous === undefined || comparePositions(result, previous) > 0) last.set(result.shardId, result);
  }
  return last;
}

/** Each shard's checkpoint in the lease table (`seq/sub`, or a sentinel such as `TRIM_HORIZON`). */
export async function leaseCheckpoints(dynamodb: DynamoDBClient, applicationName: string): Promise<Map<string, Position>> {
  const store = new DynamoDBLeaseStore(dynamodb, { tableName: applicationName });
  const { leases } = await store.listLeases();
  return new Map(leases.map((lease) => [lease.leaseKey, lease.checkpoint]));
}

/** Whether a checkpoint is at or past `position` (a sentinel checkpoint is before every record). */
export function reached(checkpoint: Position | undefined, position: Position): boolean {
  if (checkpoint === undefined || !/^[0-9]+$/.test(checkpoint.sequenceNumber)) return false;
  return comparePositions(checkpoint, position) >= 0;
}

/** `seq/sub`, for messages and map keys. */
export const positionKey = (position: Position): string => `${position.sequenceNumber}/${position.subSequenceNumber}`;
