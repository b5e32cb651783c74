import { describeValue } from '@kinesis-toolkit/core';
import type { RejectedItem } from '../Emitter';
import { EmitterError } from '../EmitterError';

/** What the byte-oriented emitters (S3, HTTP, file, stdout) accept: bytes, or text written as UTF-8. */
export type ByteItem = Uint8Array | string;

/** The item's bytes (a view, not a copy, for a Buffer or Uint8Array); text is encoded as UTF-8. */
export function itemBytes(item: unknown, index: number): Buffer {
  if (typeof item === 'string') return Buffer.from(item, 'utf8');
  if (item instanceof Uint8Array) return Buffer.from(item.buffer, item.byteOffset, item.byteLength);
  // A typed error rather than a TypeError: the item came from the user's transformer at run time.
  throw new EmitterError('InvalidItem', `items[${index}]: expected a Uint8Array or a string, got ${typeof item}`);
}

/**
 * Splits `items` into the indexes of those that are bytes or text and the ones that are not,
 * rejected for good (an `InvalidItem` error: a retry cannot change an item's type).
 */
export function partitionByteItems<U>(items: readonly U[]): { readonly valid: number[]; readonly rejected: RejectedItem<U>[] } {
  const valid: number[] = [];
  const rejected: RejectedItem<U>[] = [];
  items.forEach((item, index) => {
    if (typeof item === 'string' || item instanceof Uint8Array) valid.push(index);
    else rejected.push({ item, error: new EmitterError('InvalidItem', `items[${index}]: expected a Uint8Array or a string, got ${describeValue(item)}`) });
  });
  return { valid, rejected };
}
