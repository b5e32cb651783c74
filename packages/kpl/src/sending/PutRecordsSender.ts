import { PutRecordsCommand, type KinesisClient, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { callAws, type AwsRequestError, type Clock } from '@kinesis-toolkit/core';
import type { OutgoingRecord } from '../buffering/PendingRecord';
import type { StreamRef } from '../shards/ShardMapProvider';

/** How one PutRecords request went. */
export type BatchOutcome =
  | { readonly ok: true; readonly startedAt: number; readonly durationMs: number; readonly entries: readonly PutRecordsResultEntry[] }
  | { readonly ok: false; readonly startedAt: number; readonly durationMs: number; readonly error: AwsRequestError };

/**
 * Sends a batch of Kinesis records in one PutRecords request through core's `callAws`: one
 * attempt with a deadline of `requestTimeoutMs` (the producer retries records itself, per record,
 * until their TTL), classified by core's classifier. Never throws: a failed request is an outcome.
 */
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
      const output = await callAws(this.client, command, {
        service: 'Kinesis',
        operation: 'PutRecords',
        timeoutMs: this.requestTimeoutMs,
        clock: this.clock,
        context: { streamName: this.stream.streamName ?? this.stream.streamARN },
      });
      return { ok: true, startedAt, durationMs: this.clock.now() - startedAt, entries: output.Records ?? [] };
    } catch (error) {
      // callAws rejects with an AwsRequestError only (no signal is passed, so never an abort reason).
      return { ok: false, startedAt, durationMs: this.clock.now() - startedAt, error: error as AwsRequestError };
    }
  }
}
