import type { BufferedRequest } from './HttpUpstream';
import {
  canonicalShardId,
  errorReply,
  FALLBACK_ACCOUNT_ID,
  readThrottledMessage,
  recordBytesOf,
  streamNameOf,
  type HttpReply,
  type WireCodec,
} from './kinesisProtocol';
import type { ProxyContext } from './ProxyContext';
import type { ShardKey } from './ShardBudgets';

/**
 * How many shard iterators the proxy remembers. An iterator lives 5 minutes and each GetRecords
 * makes a new one; the oldest are forgotten first.
 */
const MAX_TRACKED_ITERATORS = 50_000;

/**
 * Enforces the per-shard GetRecords limits: 5 calls/s and 2 MiB/s (scaled). A shard iterator is
 * opaque, so the proxy learns which shard it reads by watching GetShardIterator answers (the
 * request names the shard) and GetRecords answers (`NextShardIterator` reads on from the same
 * shard). An iterator the proxy never saw — one obtained from the target directly — is passed
 * through unlimited.
 */
export class ReadLimiter {
  readonly #context: ProxyContext;
  readonly #iterators = new Map<string, ShardKey>();

  constructor(context: ProxyContext) {
    this.#context = context;
  }

  /** GetShardIterator: forwarded untouched (it has no per-shard limit here); its answer is remembered. */
  async getShardIterator(request: BufferedRequest, codec: WireCodec): Promise<HttpReply> {
    this.#context.counters.requestsPassedThrough += 1;
    const reply = await this.#context.upstream.send(request);
    const input = codec.parse(request.body);
    const streamName = input === undefined ? undefined : streamNameOf(input);
    const shardId = input?.ShardId;
    if (reply.statusCode === 200 && streamName !== undefined && typeof shardId === 'string') {
      const iterator = codec.parse(reply.body)?.ShardIterator;
      if (typeof iterator === 'string') this.#remember(iterator, { streamName, shardId: canonicalShardId(shardId) });
    }
    return reply;
  }

  /**
   * GetRecords: refused with HTTP 400 `ProvisionedThroughputExceededException` when the shard has
   * no call left this second or its byte budget is in debt; otherwise forwarded, and the bytes
   * returned charged afterwards (which may put the budget in debt).
   */
  async getRecords(request: BufferedRequest, codec: WireCodec): Promise<HttpReply> {
    const { budgets, upstream, logger } = this.#context;
    const iterator = codec.parse(request.body)?.ShardIterator;
    const shard = typeof iterator === 'string' ? this.#iterators.get(iterator) : undefined;
    if (shard === undefined) {
      logger.debug({}, 'shard-limit proxy: GetRecords with an iterator it never saw; passed through');
      this.#context.counters.requestsPassedThrough += 1;
      return upstream.send(request);
    }
    if (!budgets.tryRead(shard)) {
      logger.debug({ ...shard }, 'shard-limit proxy: GetRecords throttled');
      return errorReply('ProvisionedThroughputExceededException', readThrottledMessage(shard, await this.#accountOf(shard.streamName)), 400, codec);
    }
    const reply = await upstream.send(request);
    if (reply.statusCode === 200) {
      const output = codec.parse(reply.body);
      budgets.chargeRead(shard, recordBytesOf(output?.Records));
      const next = output?.NextShardIterator;
      if (typeof next === 'string') this.#remember(next, shard);
    }
    return reply;
  }

  #remember(iterator: string, shard: ShardKey): void {
    if (this.#iterators.size >= MAX_TRACKED_ITERATORS) {
      const oldest = this.#iterators.keys().next().value;
      if (oldest !== undefined) this.#iterators.delete(oldest);
    }
    this.#iterators.set(iterator, shard);
  }

  async #accountOf(streamName: string): Promise<string> {
    try {
      return (await this.#context.streams.get(streamName)).accountId;
    } catch {
      return FALLBACK_ACCOUNT_ID;
    }
  }
}
