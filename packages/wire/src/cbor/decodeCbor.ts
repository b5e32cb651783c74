import { cbor } from '@smithy/core/cbor';

/**
 * Decodes one CBOR item (an answer body). Byte strings come back as views on `bytes` (no copy),
 * tags as `{ tag, value }`, integers beyond 2^53 as bigints, maps as plain objects; definite and
 * indefinite lengths alike. The codec is @smithy/core's, which the AWS SDK v3 itself ships for its
 * `smithy-rpcv2-cbor` protocol (see the README for the comparison with cbor-x).
 *
 * @throws Error when `bytes` is not well-formed CBOR.
 */
export function decodeCbor(bytes: Uint8Array): unknown {
  return cbor.deserialize(bytes);
}
