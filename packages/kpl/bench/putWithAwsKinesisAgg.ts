/**
 * The way Node.js users send aggregated records today: aws-kinesis-agg's `aggregate()` (the
 * callback API) packs the user records, and their own loop collects its aggregates into
 * PutRecords requests and sends them over one client with a few requests in flight, resending
 * the entries a request answers as failed.
 */
import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import type { UserRecordInput } from '@kinesis-toolkit/aggregation';
import * as awsKinesisAggModule from 'aws-kinesis-agg';

/** An aggregate as aws-kinesis-agg hands it to the encoded-record handler. */
interface EncodedRecord {
  readonly partitionKey: string;
  readonly data: Buffer;
}

/** The part of aws-kinesis-agg driven here (its own typings need aws-sdk v2 and aws-lambda). */
interface AwsKinesisAgg {
  aggregate(
    records: readonly UserRecordInput[],
    encodedRecordHandler: (encoded: EncodedRecord, done: (error?: Error) => void) => void,
    afterPutAggregatedRecords: () => void,
    errorCallback: (error: Error) => void,
  ): void;
}
const awsKinesisAgg = awsKinesisAggModule as unknown as AwsKinesisAgg;

/** How the user's PutRecords loop batches and sends. */
export interface TheirLoopOptions {
  /** Entries per PutRecords, the API's limit. */
  readonly maxEntriesPerRequest: number;
  /** Data plus partition keys per PutRecords (AWS allows 5 MiB, kinesalite's body limit is 7 MiB of base64). */
  readonly maxBytesPerRequest: number;
  /** PutRecords requests in flight at once. */
  readonly maxConcurrentRequests: number;
  /** Sends of an entry before giving up on it (1 = no resend). */
  readonly maxAttempts: number;
}

/** What their pipeline did with the records. */
export interface TheirOutcome {
  /** Aggregates stored (each counted once, however often it was sent). */
  readonly storedAggregates: number;
  /** Aggregates given up after `maxAttempts` sends. */
  readonly lostAggregates: number;
}

const entryBytes = (entry: PutRecordsRequestEntry): number => entry.Data!.length + Buffer.byteLength(entry.PartitionKey!);

/**
 * Aggregates `records` with aws-kinesis-agg and puts the aggregates to `streamName`; resolves
 * once every request has been answered.
 */
export function putWithAwsKinesisAgg(records: readonly UserRecordInput[], client: KinesisClient, streamName: string, options: TheirLoopOptions): Promise<TheirOutcome> {
  return new Promise((resolve, reject) => {
    let batch: PutRecordsRequestEntry[] = [];
    let batchBytes = 0;
    let inFlight = 0;
    let aggregated = false;
    let storedAggregates = 0;
    let lostAggregates = 0;
    let failed = false;
    const waitingForSlot: (() => void)[] = [];

    const fail = (error: unknown): void => {
      failed = true;
      reject(error);
    };
    const finishIfDone = (): void => {
      if (aggregated && inFlight === 0 && batch.length === 0 && !failed) resolve({ storedAggregates, lostAggregates });
    };
    const send = async (entries: PutRecordsRequestEntry[]): Promise<void> => {
      let pending = entries;
      for (let attempt = 1; pending.length > 0; attempt++) {
        const output = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: pending }));
        const answers = output.Records ?? [];
        const retry = pending.filter((_, i) => answers[i]?.SequenceNumber === undefined);
        storedAggregates += pending.length - retry.length;
        if (retry.length > 0 && attempt >= options.maxAttempts) {
          lostAggregates += retry.length;
          return;
        }
        pending = retry;
      }
    };
    const startSend = (entries: PutRecordsRequestEntry[]): void => {
      inFlight++;
      send(entries).then(() => {
        inFlight--;
        const next = waitingForSlot.shift();
        if (next !== undefined) next();
        else finishIfDone();
      }, fail);
    };
    const whenSlotFree = (then: () => void): void => {
      if (inFlight < options.maxConcurrentRequests) then();
      else waitingForSlot.push(then);
    };

    awsKinesisAgg.aggregate(
      records,
      (encoded, done) => {
        const entry: PutRecordsRequestEntry = { PartitionKey: encoded.partitionKey, Data: encoded.data };
        const bytes = entryBytes(entry);
        const full = batch.length >= options.maxEntriesPerRequest || batchBytes + bytes > options.maxBytesPerRequest;
        if (batch.length > 0 && full) {
          const ready = batch;
          batch = [entry];
          batchBytes = bytes;
          // The handler's callback waits for a free slot: aggregates queue, requests do not pile up.
          whenSlotFree(() => {
            startSend(ready);
            done();
          });
          return;
        }
        batch.push(entry);
        batchBytes += bytes;
        done();
      },
      () => {
        aggregated = true;
        if (batch.length === 0) return finishIfDone();
        const last = batch;
        batch = [];
        whenSlotFree(() => startSend(last));
      },
      fail,
    );
  });
}
