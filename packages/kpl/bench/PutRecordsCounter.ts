import type { KinesisClient, PutRecordsInput, PutRecordsOutput } from '@aws-sdk/client-kinesis';

/**
 * Counts, at the SDK client, every PutRecords a benchmark contender makes: requests, entries,
 * entries Kinesis refused (`FailedRecordCount`) and requests that threw. Both contenders are
 * counted the same way, without listening to any producer events (which cost the producer work).
 * An entry is failed when Kinesis refused it in its answer or its whole request threw.
 */
export class PutRecordsCounter {
  requests = 0;
  entries = 0;
  /** Entries not stored: refused in the answer (`FailedRecordCount`), or in a request that threw. */
  failedEntries = 0;
  failedRequests = 0;
  /** Data plus partition-key bytes of every entry sent. */
  bytes = 0;

  /** Adds a counting middleware to `client`; returns the counter. */
  static attach(client: KinesisClient): PutRecordsCounter {
    const counter = new PutRecordsCounter();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'PutRecordsCommand') return next(args);
        const input = args.input as PutRecordsInput;
        const records = input.Records ?? [];
        counter.requests++;
        counter.entries += records.length;
        for (const record of records) counter.bytes += (record.Data?.length ?? 0) + Buffer.byteLength(record.PartitionKey ?? '');
        try {
          const result = await next(args);
          counter.failedEntries += (result.output as PutRecordsOutput).FailedRecordCount ?? 0;
          return result;
        } catch (error) {
          counter.failedRequests++;
          counter.failedEntries += records.length;
          throw error;
        }
      },
      { step: 'initialize', name: 'benchPutRecordsCounter' },
    );
    return counter;
  }

  /** Entries Kinesis stored. */
  get storedEntries(): number {
    return this.entries - this.failedEntries;
  }
}
