import { hashKeyOf, hashKeyToWords, parseExplicitHashKey } from '@kinesis-toolkit/aggregation';
import type { OutgoingRecord, PendingRecord } from '../src/buffering/PendingRecord';

/** A pending user record for unit tests of the buffering and sending internals. */
export function pendingRecord(partitionKey: string, data: string | number = partitionKey, fields: Partial<PendingRecord> = {}): PendingRecord {
  const bytes = Buffer.from(typeof data === 'number' ? 'x'.repeat(data) : data);
  const explicitHashKey = fields.explicitHashKey;
  const words = hashKeyToWords(explicitHashKey !== undefined ? parseExplicitHashKey(explicitHashKey) : hashKeyOf(partitionKey));
  return {
    input: { partitionKey, data: bytes, ...(explicitHashKey !== undefined ? { explicitHashKey } : {}) },
    partitionKey,
    explicitHashKey,
    data: bytes,
    hashWord0: words[0]! | 0,
    hashWord1: words[1]! | 0,
    hashWord2: words[2]! | 0,
    hashWord3: words[3]! | 0,
    bytes: bytes.length + Buffer.byteLength(partitionKey),
    arrivedAt: 0,
    expiresAt: 30_000,
    epoch: 0,
    deadline: 100,
    attempts: [],
    settled: false,
    lane: undefined,
    ttlSlot: 0,
    outgoing: undefined,
    resolve: () => undefined,
    reject: () => undefined,
    listener: undefined,
    onAdmitted: undefined,
    ...fields,
  };
}

/** A Kinesis record ready for the collector. */
export function outgoingRecord(bytes: number, deadline = 100, routeKey = 'shardId-000000000000'): OutgoingRecord {
  const record = pendingRecord(`k${bytes}`, Math.max(0, bytes - 5), { deadline });
  return {
    records: [record],
    partitionKey: record.partitionKey,
    explicitHashKey: undefined,
    data: record.data,
    bytes,
    aggregated: false,
    routeKey,
    predictedShardId: routeKey,
    deadline,
    stage: 'metered',
  };
}
