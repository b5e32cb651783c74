import type { BufferedRequest } from './HttpUpstream';
import {
  errorReply,
  requestTooLargeMessage,
  streamNameOf,
  tooManyRecordsMessage,
  writeEntryOf,
  writeThrottledMessage,
  type HttpReply,
  type WireCodec,
  type WriteEntry,
} from './kinesisProtocol';
import type { ProxyContext } from './ProxyContext';
import type { ShardKey } from './ShardBudgets';
import type { StreamShards } from './StreamShardCache';

const THROTTLED = 'ProvisionedThroughputExceededException';

/** Where a request's records go: the stream as known, and each record's shard. */
interface Routing {
  readonly stream: StreamShards;
  readonly shards: readonly ShardKey[];
}

/**
 * Enforces the per-shard write limits on PutRecords and PutRecord, and the per-request limits of
 * PutRecords. Records over their shard's budget are answered by the proxy, the rest forwarded;
 * anything it cannot read or route (malformed input, an unknown stream) goes to the target
 * untouched, so that the target's own errors reach the client.
 */
export class WriteLimiter {
  readonly #context: ProxyContext;
  readonly #maxRecordsPerRequest: number;
  readonly #maxBytesPerRequest: number;

  constructor(context: ProxyContext, limits: { maxRecordsPerRequest: number; maxBytesPerRequest: number }) {
    this.#context = context;
    this.#maxRecordsPerRequest = limits.maxRecordsPerRequest;
    this.#maxBytesPerRequest = limits.maxBytesPerRequest;
  }

  /**
   * PutRecords: each entry is admitted against its shard in order; throttled entries get AWS's
   * per-entry error, the others go to the target in one request, and the two are merged back in
   * the original order with the right `FailedRecordCount`. No entry admitted, no call upstream.
   */
  async putRecords(request: BufferedRequest, codec: WireCodec): Promise<HttpReply> {
    const input = codec.parse(request.body);
    const records = input?.Records;
    if (input === undefined || !Array.isArray(records)) return this.#passThrough(request);
    // AWS checks the model (entry count) before the service limit (request size).
    if (records.length > this.#maxRecordsPerRequest) {
      return this.#reject('ValidationException', tooManyRecordsMessage(records.length, this.#maxRecordsPerRequest), codec);
    }
    const entries = records.map(writeEntryOf);
    if (!entries.every((entry): entry is WriteEntry => entry !== undefined)) return this.#passThrough(request);
    if (entries.reduce((sum, entry) => sum + entry.bytes, 0) > this.#maxBytesPerRequest) {
      return this.#reject('InvalidArgumentException', requestTooLargeMessage(this.#maxBytesPerRequest), codec);
    }
    const routing = await this.#route(streamNameOf(input), entries);
    if (routing === undefined) return this.#passThrough(request);

    const { budgets, upstream } = this.#context;
    const admitted = entries.flatMap((entry, index) => (budgets.tryWrite(routing.shards[index]!, entry.bytes) ? [index] : []));
    const throttledCount = entries.length - admitted.length;
    const throttled = (index: number): unknown => ({
      ErrorCode: THROTTLED,
      ErrorMessage: writeThrottledMessage(routing.shards[index]!, routing.stream.accountId),
    });
    if (throttledCount > 0) {
      this.#context.logger.debug({
        streamName: routing.stream.streamName,
        throttled: throttledCount,
        entries: entries.length,
      }, 'shard-limit proxy: PutRecords entries throttled');
    }
    if (admitted.length === 0) {
      return codec.reply(200, { FailedRecordCount: entries.length, Records: entries.map((_, index) => throttled(index)) });
    }

    const body = throttledCount === 0 ? request.body : codec.putRecordsBody(input, admitted.map((index) => records[index]));
    const cancel = (indexes: readonly number[]): void => {
      for (const index of indexes) budgets.cancelWrite(routing.shards[index]!, entries[index]!.bytes);
    };
    const reply = await upstream.send(request, body).catch((error: unknown) => {
      cancel(admitted);
      throw error;
    });
    const output = reply.statusCode === 200 ? codec.parse(reply.body) : undefined;
    const results = output?.Records;
    if (output === undefined || !Array.isArray(results) || results.length !== admitted.length) {
      cancel(admitted); // the target refused the request: nothing was written
      return reply;
    }

    const merged = entries.map((_, index) => throttled(index));
    let failedCount = throttledCount;
    let shardMapStale = false;
    admitted.forEach((index, position) => {
      const result = results[position] as { ErrorCode?: unknown; ShardId?: unknown } | null;
      merged[index] = result;
      if (result?.ErrorCode !== undefined) {
        failedCount += 1;
        cancel([index]);
        return;
      }
      budgets.confirmWrite(routing.shards[index]!, entries[index]!.bytes);
      shardMapStale ||= result?.ShardId !== undefined && result.ShardId !== routing.shards[index]!.shardId;
    });
    if (shardMapStale) this.#forgetShards(routing.stream.streamName);
    if (throttledCount === 0) return reply;
    return { ...reply, body: codec.reply(200, { ...output, FailedRecordCount: failedCount, Records: merged }).body };
  }

  /** PutRecord: over its shard's budget it fails whole, with HTTP 400 `ProvisionedThroughputExceededException`. */
  async putRecord(request: BufferedRequest, codec: WireCodec): Promise<HttpReply> {
    const input = codec.parse(request.body);
    const entry = input === undefined ? undefined : writeEntryOf(input);
    const routing = entry === undefined ? undefined : await this.#route(streamNameOf(input!), [entry]);
    if (entry === undefined || routing === undefined) return this.#passThrough(request);

    const { budgets, upstream } = this.#context;
    const shard = routing.shards[0]!;
    if (!budgets.tryWrite(shard, entry.bytes)) {
      this.#context.logger.debug({ ...shard }, 'shard-limit proxy: PutRecord throttled');
      return errorReply(THROTTLED, writeThrottledMessage(shard, routing.stream.accountId), 400, codec);
    }
    const reply = await upstream.send(request).catch((error: unknown) => {
      budgets.cancelWrite(shard, entry.bytes);
      throw error;
    });
    if (reply.statusCode !== 200) {
      budgets.cancelWrite(shard, entry.bytes);
      return reply;
    }
    budgets.confirmWrite(shard, entry.bytes);
    const shardId = codec.parse(reply.body)?.ShardId;
    if (shardId !== undefined && shardId !== shard.shardId) this.#forgetShards(shard.streamName);
    return reply;
  }

  /**
   * Finds each record's open shard; a hash key in no known open shard reloads the stream's shards
   * once. Undefined when the stream is unnamed or cannot be described, or a key stays unrouted.
   */
  async #route(streamName: string | undefined, entries: readonly WriteEntry[]): Promise<Routing | undefined> {
    if (streamName === undefined) return undefined;
    const { streams, logger } = this.#context;
    try {
      let stream = await streams.get(streamName);
      let shards = shardsOf(stream, entries);
      if (shards === undefined) {
        stream = await streams.refresh(streamName, stream);
        shards = shardsOf(stream, entries);
      }
      if (shards === undefined) logger.warn({ streamName }, 'shard-limit proxy: records fall in no open shard; passed through');
      return shards === undefined ? undefined : { stream, shards };
    } catch (error) {
      // Most often the stream does not exist: the target says so better than we would.
      logger.debug({ streamName, error: String(error) }, 'shard-limit proxy: cannot list the shards; passed through');
      return undefined;
    }
  }

  /** Upstream put a record in another shard than the cached map said: the stream was resharded. */
  #forgetShards(streamName: string): void {
    this.#context.logger.debug({ streamName }, 'shard-limit proxy: shard map out of date; reloading on next use');
    this.#context.streams.forget(streamName);
  }

  #passThrough(request: BufferedRequest): Promise<HttpReply> {
    this.#context.counters.requestsPassedThrough += 1;
    return this.#context.upstream.send(request);
  }

  #reject(type: string, message: string, codec: WireCodec): HttpReply {
    this.#context.counters.requestsRejected += 1;
    this.#context.logger.debug({ type, message }, 'shard-limit proxy: PutRecords rejected');
    return errorReply(type, message, 400, codec);
  }
}

function shardsOf(stream: StreamShards, entries: readonly WriteEntry[]): ShardKey[] | undefined {
  const shards: ShardKey[] = [];
  for (const entry of entries) {
    const shard = stream.shardMap.shardFor(entry.hashKey);
    if (shard === undefined) return undefined;
    shards.push({ streamName: stream.streamName, shardId: shard.shardId });
  }
  return shards;
}
