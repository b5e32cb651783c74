import { NOOP_LOGGER, rejectUnknownOptions, requireObject, requireOneOf, type Logger } from '@kinesis-toolkit/core';

/** The wire protocols of the Kinesis data-plane calls. */
export const WIRE_PROTOCOLS = Object.freeze(['auto', 'cbor', 'json'] as const);

/**
 * How GetRecords, GetShardIterator, PutRecords and PutRecord go over the wire:
 * - `'cbor'` — `application/x-amz-cbor-1.1`, as the AWS SDK for Java sends them by default: blobs
 *   as bytes, no base64, no JSON text;
 * - `'json'` — the SDK's own AWS JSON 1.1;
 * - `'auto'` — CBOR when the client talks to an AWS endpoint (`*.amazonaws.com`, `*.api.aws`, …),
 *   JSON for any other endpoint (kinesalite, kinesis-mock, LocalStack, a proxy), decided from the
 *   host of the client's first request (of any command), which goes as JSON.
 */
export type WireProtocol = (typeof WIRE_PROTOCOLS)[number];

/** Options of {@link useWireProtocol}. */
export interface WireProtocolOptions {
  /**
   * The wire protocol of the data-plane calls.
   * @defaultValue 'auto'
   */
  readonly wireProtocol?: WireProtocol | undefined;
  /**
   * Receives the fallback to JSON (warn) and protocol choices (debug).
   * @defaultValue NOOP_LOGGER
   */
  readonly logger?: Logger | undefined;
}

/** The defaults of {@link WireProtocolOptions}. */
export const WIRE_PROTOCOL_DEFAULTS = Object.freeze({
  wireProtocol: 'auto' as WireProtocol,
  logger: NOOP_LOGGER as Logger,
});

/** {@link WireProtocolOptions} with every default applied. */
export type ResolvedWireProtocolOptions = Readonly<Required<{ [K in keyof WireProtocolOptions]: Exclude<WireProtocolOptions[K], undefined> }>>;

/** Validates options and applies the defaults; throws an InvalidArgumentError naming the bad option. */
export function resolveWireProtocolOptions(options: WireProtocolOptions = {}): ResolvedWireProtocolOptions {
  requireObject('options', options);
  rejectUnknownOptions('WireProtocolOptions', options, Object.keys(WIRE_PROTOCOL_DEFAULTS));
  const logger = options.logger ?? WIRE_PROTOCOL_DEFAULTS.logger;
  requireObject('logger', logger);
  return Object.freeze({
    wireProtocol: requireOneOf('wireProtocol', options.wireProtocol ?? WIRE_PROTOCOL_DEFAULTS.wireProtocol, WIRE_PROTOCOLS),
    logger,
  });
}
