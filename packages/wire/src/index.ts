/**
 * @kinesis-toolkit/wire — the Kinesis data-plane calls (GetRecords, GetShardIterator, PutRecords,
 * PutRecord) of your own AWS SDK v3 `KinesisClient` in CBOR, as the AWS SDK for Java sends them:
 * blobs as bytes, no base64 and no JSON text. Plugged in through the client's middleware stack.
 * @packageDocumentation
 */
export { KinesisWireProtocol, useWireProtocol } from './middleware/KinesisWireProtocol';
export type { ActiveWireProtocol, KinesisClientLike, KinesisWireProtocolEvents, WireFallbackEvent } from './middleware/KinesisWireProtocol';
export type { Refusal } from './middleware/refusal';
export { isAwsHostname } from './middleware/awsHostnames';
export { CBOR_CONTENT_TYPE } from './middleware/httpMessages';
export { WIRE_PROTOCOL_DEFAULTS, WIRE_PROTOCOLS, resolveWireProtocolOptions } from './options/WireProtocolOptions';
export type { ResolvedWireProtocolOptions, WireProtocol, WireProtocolOptions } from './options/WireProtocolOptions';
export { encodeRequest } from './kinesis/encodeRequest';
export { decodeCbor } from './cbor/decodeCbor';
export { decodeResponse } from './kinesis/decodeResponse';
export { WireShapeError } from './kinesis/WireShapeError';
export { WIRE_OPERATIONS } from './kinesis/requestShapes';
export type { WireOperation } from './kinesis/requestShapes';
