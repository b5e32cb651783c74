import { NOOP_LOGGER, SYSTEM_CLOCK, type Clock, type Logger } from '@kinesis-toolkit/core';
import { describe, requireFunction, requireInteger, requireMethods, requireOneOf, requireString, withoutUndefined } from '../internal/options';

/** Options of {@link HttpEndpointEmitter}; `url` is required. */
export interface HttpEndpointEmitterOptions {
  /** The endpoint, `http:` or `https:` (Firehose itself only delivers to https on port 443). */
  readonly url?: string;
  /** Sent verbatim as `X-Amz-Firehose-Access-Key` (Firehose allows up to 4096 bytes). @defaultValue none */
  readonly accessKey?: string;
  /** Sent as `X-Amz-Firehose-Source-Arn`. @defaultValue none */
  readonly sourceArn?: string;
  /** Sent as `X-Amz-Firehose-Common-Attributes: {"commonAttributes":{…}}`. @defaultValue none */
  readonly commonAttributes?: Readonly<Record<string, string>>;
  /** `'gzip'` compresses the body and sends `Content-Encoding: gzip`. @defaultValue `'none'` */
  readonly compression?: 'none' | 'gzip';
  /** A request without a complete response by then fails (retryable). Firehose waits 3 minutes. @defaultValue 30000 */
  readonly requestTimeoutMs?: number;
  /** Records per request; a larger batch is sent as several requests, in order. @defaultValue 500 */
  readonly maxRecordsPerRequest?: number;
  /** Base64 data bytes per request (a single larger record still goes alone). @defaultValue 4 MiB */
  readonly maxBytesPerRequest?: number;
  /** A longer response body is a failure. @defaultValue 1 MiB */
  readonly maxResponseBytes?: number;
  /** Epoch milliseconds for the body's `timestamp`. @defaultValue `Date.now` */
  readonly currentTimeMs?: () => number;
  /** Runs the request timeout. @defaultValue {@link SYSTEM_CLOCK} */
  readonly clock?: Clock;
  /** @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link HttpEndpointEmitterOptions}. */
export const HTTP_ENDPOINT_EMITTER_DEFAULTS = Object.freeze({
  compression: 'none' as 'none' | 'gzip',
  requestTimeoutMs: 30_000,
  maxRecordsPerRequest: 500,
  maxBytesPerRequest: 4 * 1024 * 1024,
  maxResponseBytes: 1024 * 1024,
  currentTimeMs: (): number => Date.now(),
  clock: SYSTEM_CLOCK,
  logger: NOOP_LOGGER as Logger,
});

/** The complete, validated configuration of an {@link HttpEndpointEmitter}. */
export interface ResolvedHttpEndpointEmitterOptions
  extends Readonly<Omit<Required<HttpEndpointEmitterOptions>, 'url' | 'accessKey' | 'sourceArn' | 'commonAttributes'>> {
  readonly url: URL;
  readonly accessKey?: string;
  readonly sourceArn?: string;
  readonly commonAttributes?: Readonly<Record<string, string>>;
}

/**
 * Validates {@link HttpEndpointEmitterOptions} and fills in the defaults.
 * @throws TypeError naming the bad option.
 */
export function resolveHttpEndpointEmitterOptions(options: HttpEndpointEmitterOptions): ResolvedHttpEndpointEmitterOptions {
  const merged = { ...HTTP_ENDPOINT_EMITTER_DEFAULTS, ...withoutUndefined(options) };
  let url: URL;
  try {
    url = new URL(requireString('url', merged.url));
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith('url:')) throw error;
    throw new TypeError(`url: expected an http(s) URL, got ${describe(merged.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`url: expected an http: or https: URL, got ${describe(merged.url)}`);
  if (merged.accessKey !== undefined) {
    requireString('accessKey', merged.accessKey);
    if (Buffer.byteLength(merged.accessKey) > 4096 || /[\r\n]/.test(merged.accessKey)) {
      throw new TypeError('accessKey: expected at most 4096 bytes on one line');
    }
  }
  if (merged.sourceArn !== undefined) requireString('sourceArn', merged.sourceArn);
  const attributes = merged.commonAttributes;
  if (attributes !== undefined && (attributes === null || typeof attributes !== 'object' || !Object.values(attributes).every((value) => typeof value === 'string'))) {
    throw new TypeError(`commonAttributes: expected an object of string values, got ${describe(attributes)}`);
  }
  requireOneOf('compression', merged.compression, ['none', 'gzip']);
  requireInteger('requestTimeoutMs', merged.requestTimeoutMs, 1);
  requireInteger('maxRecordsPerRequest', merged.maxRecordsPerRequest, 1);
  requireInteger('maxBytesPerRequest', merged.maxBytesPerRequest, 1);
  requireInteger('maxResponseBytes', merged.maxResponseBytes, 1);
  requireFunction('currentTimeMs', merged.currentTimeMs);
  requireMethods('clock', merged.clock, ['now', 'setTimeout', 'clearTimeout'], 'a Clock');
  requireMethods('logger', merged.logger, ['debug', 'info', 'warn', 'error'], 'a Logger');
  return Object.freeze({ ...merged, url }) as ResolvedHttpEndpointEmitterOptions;
}
