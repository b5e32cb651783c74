// How a timestamp in a CBOR answer becomes a Date.
//
// AWS's CBOR for Kinesis puts epoch MILLISECONDS under tag 1 (the AWS SDK for Java reads it with
// `Instant.ofEpochMilli(parser.getLongValue())`; aws-sdk-java-v2 #184, #979), where RFC 8949 has
// seconds. The local emulators write what their JSON protocol holds: kinesalite epoch seconds
// with a fraction, untagged (1796601648.56); kinesis-mock epoch milliseconds, untagged. A
// Kinesis timestamp is never before 1973 nor after the year 5000, so the magnitude settles the
// unit: below 10^11 it is seconds (10^11 s is the year 5138), otherwise milliseconds (10^11 ms
// is March 1973). Seconds are rounded to the millisecond as the SDK's JSON protocol rounds them.

import { WireShapeError } from './WireShapeError';

/** Below this an epoch number is seconds, from it milliseconds. */
export const SECONDS_MILLIS_BOUNDARY = 1e11;

interface Tagged {
  readonly tag: number | bigint;
  readonly value: unknown;
}

/** The Date of a CBOR timestamp: tag 1 or untagged, integer or float, seconds or milliseconds. */
export function dateOf(value: unknown, path: string): Date {
  let raw = value;
  if (raw !== null && typeof raw === 'object' && 'tag' in raw && 'value' in raw) {
    const tagged = raw as Tagged;
    if (Number(tagged.tag) !== 1) throw new WireShapeError(path, 'a timestamp (tag 1 or a number)', value);
    raw = tagged.value;
  }
  const epoch = typeof raw === 'bigint' ? Number(raw) : raw;
  if (typeof epoch !== 'number' || !Number.isFinite(epoch)) throw new WireShapeError(path, 'a timestamp (tag 1 or a number)', value);
  return new Date(Math.abs(epoch) < SECONDS_MILLIS_BOUNDARY ? Math.round(epoch * 1000) : Math.round(epoch));
}
