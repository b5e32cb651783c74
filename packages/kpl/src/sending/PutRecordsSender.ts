import { PutRecordsCommand, type KinesisClient, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import type { Clock } from '@kinesis-toolkit/core';
import type { OutgoingRecord } from '../buffering/PendingRecord';
import type { StreamRef } from '../shards/ShardMapProvider';
import { sendWithTimeout } from './sendWithTimeout';

/** How one PutRecords request went. */
export type BatchOutcome =
  | { readonly ok: true; readonly startedAt: number; readonly durationMs: number; readonly entries: readonly PutRecordsResultEntry[] }
  | { readonly ok: false; readonly startedAt: number; readonly durationMs: number; readonly error: unknown };

/** Sends a batch of Kinesis records in one PutRecords request; never throws. */
export class PutRecordsSender {
  constructor(
    private readonly client: KinesisClient,
    private readonly stream: StreamRef,
    private readonly clock: Clock,
    private readonly requestTimeoutMs: number,
  ) {}

  async send(batch: readonly OutgoingRecord[]): Promise<BatchOutcome> {
    const startedAt = this.clock.now();
    const command = new PutRecordsCommand({
      StreamName: this.stream.streamName,
      StreamARN: this.stream.streamARN,
      Records: batch.map((record) => ({ PartitionKey: record.partitionKey, ExplicitHashKey: record.explicitHashKey, Data: record.data })),
    });
    try {
      const output = await sendWithTimeout(this.clock, this.requestTimeoutMs, (abortSignal) => this.client.send(command, { abortSignal }));
      return { ok: true, startedAt, durationMs: this.clock.now() - startedAt, entries: output.Records ?? [] };
    } catch (error) {
      return { ok: false, startedAt, durationMs: this.clock.now() - startedAt, error };
    }
  }
}
