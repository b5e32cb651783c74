import type { GetRecordsInput, GetRecordsOutput, GetShardIteratorInput, GetShardIteratorOutput, KinesisClient } from '@aws-sdk/client-kinesis';

/** One GetRecords call as the client saw it; times are `performance.now()`. */
export interface GetRecordsCall {
  readonly shardId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly records: number;
}

/** How one shard was read. */
export interface ShardFetchSummary {
  readonly shardId: string;
  readonly calls: number;
  /** Calls that returned records. */
  readonly pagesWithRecords: number;
  /**
   * Time between calls (one call's answer to the next call's start) up to the last page with
   * records: the reader's own pauses (pacing, a full prefetch queue) on the way to catching up.
   */
  readonly waitBeforeLastPageMs: number;
}

/**
 * Logs, at the SDK client, every GetRecords a reader makes and which shard it was for — learnt
 * from GetShardIterator and followed through `NextShardIterator`, since GetRecords names no shard.
 * Both contenders of the catch-up benchmark are logged the same way.
 */
export class GetRecordsLog {
  readonly calls: GetRecordsCall[] = [];
  readonly #shardOfIterator = new Map<string, string>();

  /** Adds a logging middleware to `client`; returns the log. */
  static attach(client: KinesisClient): GetRecordsLog {
    const log = new GetRecordsLog();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetShardIteratorCommand') {
          const result = await next(args);
          const iterator = (result.output as GetShardIteratorOutput).ShardIterator;
          if (iterator !== undefined) log.#shardOfIterator.set(iterator, (args.input as GetShardIteratorInput).ShardId!);
          return result;
        }
        if (context.commandName !== 'GetRecordsCommand') return next(args);
        const iterator = (args.input as GetRecordsInput).ShardIterator!;
        const shardId = log.#shardOfIterator.get(iterator) ?? 'unknown';
        log.#shardOfIterator.delete(iterator);
        const startMs = performance.now();
        const result = await next(args);
        const output = result.output as GetRecordsOutput;
        if (output.NextShardIterator) log.#shardOfIterator.set(output.NextShardIterator, shardId);
        log.calls.push({ shardId, startMs, endMs: performance.now(), records: output.Records?.length ?? 0 });
        return result;
      },
      { step: 'initialize', name: 'benchGetRecordsLog' },
    );
    return log;
  }

  /** When the first GetRecords started, or undefined before any. */
  get firstCallMs(): number | undefined {
    return this.calls.length === 0 ? undefined : Math.min(...this.calls.map((call) => call.startMs));
  }

  /** Per shard, sorted by shard id. */
  summarize(): ShardFetchSummary[] {
    const byShard = new Map<string, GetRecordsCall[]>();
    for (const call of this.calls) byShard.set(call.shardId, [...(byShard.get(call.shardId) ?? []), call]);
    return [...byShard.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([shardId, calls]) => {
        calls.sort((a, b) => a.startMs - b.startMs);
        const lastPage = calls.findLastIndex((call) => call.records > 0);
        let waitBeforeLastPageMs = 0;
        for (let i = 1; i <= lastPage; i++) waitBeforeLastPageMs += Math.max(0, calls[i]!.startMs - calls[i - 1]!.endMs);
        return { shardId, calls: calls.length, pagesWithRecords: calls.filter((call) => call.records > 0).length, waitBeforeLastPageMs };
      });
  }
}
