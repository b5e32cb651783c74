import { InvalidArgumentError, NOOP_LOGGER, SYSTEM_CLOCK, rejectUnknownOptions, requireFunction, requireInteger, requireOneOf, requireString, requireUrl, type Clock, type Logger, givenOptions, requireClock, requireLogger } from '@kinesis-toolkit/core';

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
 * @throws InvalidArgumentError naming the bad option.
 */
export function resolveHttpEndpointEmitterOptions(options: HttpEndpointEmitterOptions): ResolvedHttpEndpointEmitterOptions {
  const given = givenOptions('options', options);
  rejectUnknownOptions('', options, [...Object.keys(HTTP_ENDPOINT_EMITTER_DEFAULTS), 'url', 'accessKey', 'sourceArn', 'commonAttributes']);
  const merged = { ...HTTP_ENDPOINT_EMITTER_DEFAULTS, ...given };
  const url = new URL(requireUrl('url', merged.url));
  if (merged.accessKey !== undefined) {
    requireString('accessKey', merged.accessKey);
    if (Buffer.byteLength(merged.accessKey) > 4096 || /[\r\n]/.test(merged.accessKey)) {
      throw new InvalidArgumentError('accessKey', 'at most 4096 bytes on one line', `a string of ${Buffer.byteLength(merged.accessKey)} bytes`);
    }
  }
  if (merged.sourceArn !== undefined) requireString('sourceArn', merged.sourceArn);
  const attributes = merged.commonAttributes;
  if (attributes !== undefined && (attributes === null || typeof attributes !== 'object' || !Object.values(attributes).every((value) => typeof value === 'string'))) {
    throw new InvalidArgumentError('commonAttributes', 'an object of string values', attributes);
  }
  requireOneOf('compression', merged.compression, ['none', 'gzip']);
  requireInteger('requestTimeoutMs', merged.requestTimeoutMs, 1, 2 ** 31 - 1);
  requireInteger('maxRecordsPerRequest', merged.maxRecordsPerRequest, 1);
  requireInteger('maxBytesPerRequest', merged.maxBytesPerRequest, 1);
  requireInteger('maxResponseBytes', merged.maxResponseBytes, 1);
  requireFunction('currentTimeMs', merged.currentTimeMs);
  requireClock('clock', merged.clock);
  requireLogger('logger', merged.logger);
  return Object.freeze({ ...merged, url }) as ResolvedHttpEndpointEmitterOptions;
}
