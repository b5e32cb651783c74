import type { OutgoingRecord } from '../buffering/PendingRecord';
import type { BatchOutcome } from '../sending/PutRecordsSender';
import type { PutRecordsEntryOutcome, PutRecordsEvent } from './PutRecordsEvent';

/** The `putRecords` event of a request: each Kinesis record with its outcome. Internal. */
export function putRecordsEventOf(streamName: string, timestamp: number, batch: readonly OutgoingRecord[], outcome: BatchOutcome): PutRecordsEvent {
  const entries = outcome.ok && outcome.entries.length === batch.length ? outcome.entries : undefined;
  const failure = outcome.ok ? (entries === undefined ? 'RecordCountMismatch' : undefined) : outcome.error.code;
  const records: PutRecordsEntryOutcome[] = new Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const outgoing = batch[i]!;
    const entry = entries?.[i];
    const landed = entry?.SequenceNumber !== undefined && entry.ShardId !== undefined;
    records[i] = {
      predictedShardId: outgoing.predictedShardId,
      shardId: landed ? entry.ShardId : undefined,
      errorCode: failure ?? (landed ? undefined : (entry?.ErrorCode ?? 'UnknownError')),
      userRecords: outgoing.records.length,
      bytes: outgoing.bytes,
    };
  }
  return { streamName, timestamp, durationMs: outcome.durationMs, errorCode: failure, records };
}
