import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../aws/clientConfig';
import { formatHost } from '../net/formatHost';
import { ProtocolFront } from '../front/ProtocolFront';
import { requirePositiveNumber, requireString } from '@kinesis-toolkit/core';
import { HttpUpstream, readBody, writeReply, type BufferedRequest } from './HttpUpstream';
import { codecOf, errorReply, operationOf, JSON_CODEC, type HttpReply, type WireCodec } from './kinesisProtocol';
import type { ProxyContext, RequestCounters } from './ProxyContext';
import { ReadLimiter } from './ReadLimiter';
import { ShardBudgets, type ShardTraffic, type TrafficByStream } from './ShardBudgets';
import {
  resolveShardLimitProxyOptions,
  shardLimitsAt,
  type ResolvedShardLimitProxyOptions,
  type ShardLimitProxyOptions,
  type ShardLimits,
} from './ShardLimitProxyOptions';
import { StreamShardCache } from './StreamShardCache';
import { WriteLimiter } from './WriteLimiter';

/** Counters of a {@link ShardLimitProxy} since it started or was last reset. */
export interface ShardLimitProxyStats {
  /** The sum over every shard. */
  readonly total: ShardTraffic;
  /** Per stream name, then per shard id; a shard appears once a request touched it. */
  readonly streams: TrafficByStream;
  /** PutRecords requests refused whole: too many entries, or too many bytes. */
  readonly requestsRejected: number;
  /**
   * Requests forwarded with no limit applied: every operation but PutRecords, PutRecord and
   * GetRecords; those three in CBOR or malformed; GetRecords with an iterator the proxy never saw.
   */
  readonly requestsPassedThrough: number;
}

/**
 * An HTTP proxy in front of a Kinesis emulator (kinesalite enforces no throughput limits) that
 * enforces the AWS per-shard limits and answers as AWS does, so that a producer's rate limiting,
 * retries and backoff can be tested and benchmarked locally:
 *
 * - writes: 1,000 records/s and 1 MiB/s (data + partition key) per shard — a PutRecords entry
 *   over budget gets `ProvisionedThroughputExceededException` in its result slot, a PutRecord
 *   fails with HTTP 400 of that name;
 * - reads: 5 GetRecords calls/s and 2 MiB/s per shard (HTTP 400 when over);
 * - PutRecords requests: at most 500 entries (`ValidationException`) and 10 MiB
 *   (`InvalidArgumentException`), refused whole.
 *
 * Each limit is a token bucket holding one second's worth, refilled from the injected clock; a
 * `scale` multiplies the rates so that tests reach them with little data. Every other operation
 * streams through untouched. It speaks AWS JSON 1.1, which `@aws-sdk/client-kinesis` uses; CBOR
 * requests (Java SDK, KPL) pass through unlimited.
 *
 * @example
 * ```ts
 * const proxy = await ShardLimitProxy.start({ target: stack.kinesis.endpoint, scale: 0.05, clock });
 * const kinesis = createKinesisClient(proxy.endpoint, { maxAttempts: 1 });
 * // 50 records/s per shard: the 51st record of this second is throttled
 * await clock.advance(1_000); // and the budget is back
 * await proxy.stop();
 * ```
 */
export class ShardLimitProxy {
  readonly #server: Server;
  readonly #front: ProtocolFront;
  readonly #config: ResolvedShardLimitProxyOptions;
  readonly #client: KinesisClient;
  readonly #context: ProxyContext;
  readonly #writes: WriteLimiter;
  readonly #reads: ReadLimiter;
  readonly #counters: RequestCounters = { requestsRejected: 0, requestsPassedThrough: 0 };
  #scale: number;
  #stopping: Promise<void> | undefined;

  /** The port the proxy listens on. */
  readonly port: number;
  /** The address the proxy listens on. */
  readonly host: string;

  private constructor(server: Server, front: ProtocolFront, config: ResolvedShardLimitProxyOptions) {
    this.#server = server;
    this.#front = front;
    this.#config = config;
    this.#scale = config.scale;
    this.host = config.host;
    this.port = front.port;
    // The proxy's own calls (ListShards, DescribeStreamSummary) go straight to the target.
    this.#client = createKinesisClient(config.target);
    this.#context = {
      upstream: new HttpUpstream(config.target),
      streams: new StreamShardCache(this.#client),
      budgets: new ShardBudgets(shardLimitsAt(config, config.scale), config.clock),
      counters: this.#counters,
      logger: config.logger,
    };
    this.#writes = new WriteLimiter(this.#context, config);
    this.#reads = new ReadLimiter(this.#context);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void this.#handle(request, response));
  }

  /**
   * Starts a proxy that listens on `host:port` and forwards to `target`.
   * @throws InvalidArgumentError (a TypeError) for bad options; ServerStartError (with the listen error as cause) when the port cannot be bound.
   */
  static async start(options: ShardLimitProxyOptions): Promise<ShardLimitProxy> {
    const config = resolveShardLimitProxyOptions(options);
    // The proxy itself speaks HTTP/1.1 on an inner port; `port` is its HTTP/2 + HTTP/1.1 front's,
    // so default SDK clients (HTTP/2) reach it as they reach the local stack.
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    let front: ProtocolFront;
    try {
      front = await ProtocolFront.start({
        name: 'shard-limit-proxy',
        host: config.host,
        port: config.port,
        target: { host: config.host, port: (server.address() as AddressInfo).port },
        http1Server: server,
        logger: config.logger,
      });
    } catch (error) {
      server.close();
      throw error;
    }
    return new ShardLimitProxy(server, front, config);
  }

  /** `http://HOST:PORT` of the proxy, to use as an SDK client's endpoint. */
  get endpoint(): string {
    return `http://${formatHost(this.host)}:${this.port}`;
  }

  /** The multiplier of the rate limits in force now. */
  get scale(): number {
    return this.#scale;
  }

  /** The per-shard rate limits in force now (after `scale`). */
  get limits(): ShardLimits {
    return shardLimitsAt(this.#config, this.#scale);
  }

  /** A snapshot of the counters. */
  get stats(): ShardLimitProxyStats {
    return { ...this.#context.budgets.traffic(), ...this.#counters };
  }

  /**
   * Changes the multiplier of every rate limit from now on, for shards seen and unseen; budgets
   * above their new capacity are cut to it.
   * @throws InvalidArgumentError (a TypeError) unless `scale` is a number > 0.
   */
  setScale(scale: number): void {
    requirePositiveNumber('scale', scale);
    this.#scale = scale;
    this.#context.budgets.setLimits(this.limits);
  }

  /** Gives every shard a full budget again and zeroes every counter. */
  reset(): void {
    this.#context.budgets.reset();
    this.#counters.requestsRejected = 0;
    this.#counters.requestsPassedThrough = 0;
  }

  /**
   * Forgets the cached shards of one stream (or of all), so that the next write lists them again
   * — after a reshard the proxy would also notice by itself, from the shard ids the target returns.
   */
  refreshShards(streamName?: string): void {
    if (streamName !== undefined) requireString('streamName', streamName);
    this.#context.streams.forget(streamName);
  }

  /** Stops listening, closes every connection and the clients to the target. Safe to call more than once. */
  stop(): Promise<void> {
    this.#stopping ??= new Promise<void>((resolve) => {
      void this.#front.stop();
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
      this.#context.upstream.destroy();
      this.#client.destroy();
    });
    return this.#stopping;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const operation = operationOf(request.headers);
    const { logger, upstream } = this.#context;
    logger.debug({ operation, contentType: request.headers['content-type'] }, 'shard-limit proxy: request');
    const codec = codecOf(request.headers);
    const handler = codec === undefined ? undefined : this.#handlerOf(operation, codec);
    const fail = (error: unknown): void => this.#fail(response, operation, error, codec ?? JSON_CODEC);
    if (handler === undefined) {
      this.#counters.requestsPassedThrough += 1;
      upstream.pipe(request, response, fail);
      return;
    }
    try {
      const buffered: BufferedRequest = {
        method: request.method ?? 'POST',
        url: request.url ?? '/',
        headers: request.headers,
        body: await readBody(request),
      };
      writeReply(response, await handler(buffered));
    } catch (error) {
      fail(error);
    }
  }

  #handlerOf(operation: string | undefined, codec: WireCodec): ((request: BufferedRequest) => Promise<HttpReply>) | undefined {
    switch (operation) {
      case 'PutRecords':
        return (request) => this.#writes.putRecords(request, codec);
      case 'PutRecord':
        return (request) => this.#writes.putRecord(request, codec);
      case 'GetShardIterator':
        return (request) => this.#reads.getShardIterator(request, codec);
      case 'GetRecords':
        return (request) => this.#reads.getRecords(request, codec);
      default:
        return undefined;
    }
  }

  /** The target failed or vanished: answer as AWS does for its own internal failures, a 500 the SDK retries. */
  #fail(response: ServerResponse, operation: string | undefined, error: unknown, codec: WireCodec): void {
    this.#config.logger.warn({ operation, error: String(error) }, 'shard-limit proxy: the target failed');
    if (response.headersSent) {
      response.destroy();
      return;
    }
    writeReply(response, errorReply('InternalFailure', `shard-limit proxy: ${this.#config.target} failed: ${String(error)}`, 500, codec));
  }
}
