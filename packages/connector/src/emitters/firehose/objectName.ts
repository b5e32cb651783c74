import { createHash } from 'node:crypto';

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * The part of a Firehose object key after the prefix:
 * `DeliveryStreamName-DeliveryStreamVersion-YYYY-MM-dd-HH-MM-SS-RandomString` + extension, the
 * time's UTC fields (pass `FirehoseTimeZone.wallClock(instant)` for a custom time zone). Firehose's random part is a UUID; here it is derived from `seed` (the batch's
 * positions and the partition), formatted as a UUID, so that a retried or re-emitted write of the
 * same records overwrites its object instead of adding a copy.
 */
export function firehoseObjectName(deliveryStreamName: string, version: number, time: Date, seed: string, extension: string): string {
  const stamp = [time.getUTCFullYear(), pad(time.getUTCMonth() + 1), pad(time.getUTCDate()), pad(time.getUTCHours()), pad(time.getUTCMinutes()), pad(time.getUTCSeconds())].join('-');
  return `${deliveryStreamName}-${version}-${stamp}-${stableUuid(seed)}${extension}`;
}

/** A UUID-shaped (version 4 layout) id derived from `seed`. */
export function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `!{firehose:random-string}`: 11 characters of [a-zA-Z0-9] derived from `seed`. */
export function stableRandomString(seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = createHash('sha256').update(`random-string:${seed}`).digest();
  let out = '';
  for (let i = 0; i < 11; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}
