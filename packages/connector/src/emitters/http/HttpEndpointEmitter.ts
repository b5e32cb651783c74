import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { EmitBatch, Emitter, EmitResult, ItemSource } from '../Emitter';
import { EmitterError } from '../EmitterError';
import { itemBytes, partitionByteItems, type ByteItem } from '../internal/itemBytes';
import {
  resolveHttpEndpointEmitterOptions,
  type HttpEndpointEmitterOptions,
  type ResolvedHttpEndpointEmitterOptions,
} from './HttpEndpointEmitterOptions';
import { HttpTransportError, postJson } from './postJson';
import { emitResult } from '../internal/emitResult';

const gzipAsync = promisify(gzip);

interface Chunk<V extends ByteItem> {
  readonly items: V[];
  readonly sources: ItemSource[];
  readonly data: string[];
}

/**
 * Delivers batches with Amazon Data Firehose's HTTP endpoint protocol (version 1.0): a POST of
 * `{"requestId", "timestamp", "records": [{"data": base64}]}` with `Content-Type: application/json`,
 * `X-Amz-Firehose-Protocol-Version: 1.0`, `X-Amz-Firehose-Request-Id`, and when configured
 * `X-Amz-Firehose-Access-Key`, `X-Amz-Firehose-Source-Arn`, `X-Amz-Firehose-Common-Attributes`
 * and `Content-Encoding: gzip`. So an endpoint written for Firehose receives from it unchanged.
 *
 * Only a `200` whose JSON body echoes the `requestId` counts as delivered. The request id is
 * derived from the batch id and the positions of the records in the request, so **every retry
 * of the same records carries the same id** and the endpoint can deduplicate, as Firehose
 * promises. A batch larger than `maxRecordsPerRequest`/`maxBytesPerRequest` goes as several
 * requests in order; after a failed request the later ones are not sent (order is kept) and
 * their items are returned in `failed` with it. When the first request fails, nothing was
 * delivered and `emit` throws an {@link EmitterError} `HttpDeliveryFailed` — retryable for 408,
 * 429, 5xx, timeouts, dropped connections and a wrong or missing `requestId` echo; not for other
 * 4xx.
 */
export class HttpEndpointEmitter implements Emitter<ByteItem> {
  readonly #config: ResolvedHttpEndpointEmitterOptions;

  /** @throws InvalidArgumentError for bad options. */
  constructor(options: HttpEndpointEmitterOptions) {
    this.#config = resolveHttpEndpointEmitterOptions(options);
  }

  async emit<V extends ByteItem>(batch: EmitBatch<V>): Promise<EmitResult<V>> {
    const { valid, rejected } = partitionByteItems(batch.items);
    const chunks = this.chunk(batch, valid);
    for (const [index, chunk] of chunks.entries()) {
      try {
        await this.deliver(batch, chunk);
      } catch (error) {
        if (index === 0 && rejected.length === 0) throw error;
        // Requests before this one were delivered: what is left is failed, retried when the error allows.
        const left = chunks.slice(index).flatMap((rest) => rest.items);
        this.#config.logger.warn({ batchId: batch.batchId, error: String(error) }, 'HTTP delivery failed; later requests of the batch not sent');
        if ((error as EmitterError).retryable === false) return emitResult([], [...rejected, ...left.map((item) => ({ item, error: error as Error }))]);
        return emitResult(left, rejected);
      }
    }
    return emitResult([], rejected);
  }

  /** The request id of a request carrying `sources` of `batch`: a GUID-shaped hash, stable across retries. */
  static requestIdFor(batch: EmitBatch<unknown>, sources: readonly ItemSource[]): string {
    const hash = createHash('sha256').update(batch.batchId);
    for (const source of sources) hash.update(`\u0000${source.sequenceNumber}/${source.subSequenceNumber}`);
    const hex = hash.digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }

  /** Splits the valid items into requests by record count and base64 size. */
  private chunk<V extends ByteItem>(batch: EmitBatch<V>, valid: readonly number[]): Chunk<V>[] {
    const { maxRecordsPerRequest, maxBytesPerRequest } = this.#config;
    const chunks: Chunk<V>[] = [];
    let current: Chunk<V> | undefined;
    let bytes = 0;
    for (const index of valid) {
      const data = itemBytes(batch.items[index], index).toString('base64');
      if (current === undefined || current.items.length >= maxRecordsPerRequest || (bytes + data.length > maxBytesPerRequest && current.items.length > 0)) {
        current = { items: [], sources: [], data: [] };
        chunks.push(current);
        bytes = 0;
      }
      current.items.push(batch.items[index]!);
      current.sources.push(batch.sources[index]!);
      current.data.push(data);
      bytes += data.length;
    }
    return chunks;
  }

  /** Sends one request and checks the response; throws an EmitterError when it was not delivered. */
  private async deliver<V extends ByteItem>(batch: EmitBatch<V>, chunk: Chunk<V>): Promise<void> {
    const config = this.#config;
    const requestId = HttpEndpointEmitter.requestIdFor(batch, chunk.sources);
    const json = `{"requestId":${JSON.stringify(requestId)},"timestamp":${Math.floor(config.currentTimeMs())},"records":[${chunk.data
      .map((data) => `{"data":"${data}"}`)
      .join(',')}]}`;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Amz-Firehose-Protocol-Version': '1.0',
      'X-Amz-Firehose-Request-Id': requestId,
    };
    if (config.accessKey !== undefined) headers['X-Amz-Firehose-Access-Key'] = config.accessKey;
    if (config.sourceArn !== undefined) headers['X-Amz-Firehose-Source-Arn'] = config.sourceArn;
    if (config.commonAttributes !== undefined) headers['X-Amz-Firehose-Common-Attributes'] = JSON.stringify({ commonAttributes: config.commonAttributes });
    let body = Buffer.from(json, 'utf8');
    if (config.compression === 'gzip') {
      headers['Content-Encoding'] = 'gzip';
      body = await gzipAsync(body);
    }
    const context = { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId, requestId, url: config.url.href, attempt: batch.attempt };
    let response;
    try {
      response = await postJson(config.url, headers, body, { clock: config.clock, timeoutMs: config.requestTimeoutMs, maxResponseBytes: config.maxResponseBytes });
    } catch (error) {
      const retryable = !(error instanceof HttpTransportError && error.reason === 'tooLarge');
      throw new EmitterError('HttpDeliveryFailed', `delivery to ${config.url.href} failed: ${(error as Error).message}`, { retryable, cause: error, context });
    }
    const problem = checkResponse(response.status, response.body, requestId);
    if (problem !== undefined) {
      const retryable = response.status === 200 || response.status === 408 || response.status === 429 || response.status >= 500;
      throw new EmitterError('HttpDeliveryFailed', `delivery to ${config.url.href} failed: ${problem}`, {
        retryable,
        context: { ...context, status: response.status },
      });
    }
    config.logger.debug({ requestId, records: chunk.items.length, attempt: batch.attempt }, 'delivered records to HTTP endpoint');
  }
}

/** Why a response does not count as delivered, or undefined when it does. */
function checkResponse(status: number, body: string, requestId: string): string | undefined {
  let parsed: { requestId?: unknown; errorMessage?: unknown } | undefined;
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  const message = typeof parsed?.errorMessage === 'string' ? `: ${parsed.errorMessage}` : '';
  if (status !== 200) return `status ${status}${message}`;
  if (parsed === undefined || typeof parsed !== 'object' || parsed === null) return 'status 200 but the body is not a JSON object';
  if (parsed.requestId !== requestId) return `status 200 but the response's requestId ${JSON.stringify(parsed.requestId)} is not ${JSON.stringify(requestId)}`;
  return undefined;
}
