/**
 * The `metadata.partitionKeys` a Firehose transformation function returned for a record, kept
 * beside the item it produced (by identity) so that a Firehose S3 emitter can evaluate
 * `!{partitionKeyFromLambda:NAME}` — the item itself stays the bytes the function returned.
 */
const KEYS = new WeakMap<object, Readonly<Record<string, string>>>();

/** Records the partition keys of `item` (a Buffer the transformer produced). */
export function setLambdaPartitionKeys(item: object, keys: Readonly<Record<string, string>>): void {
  KEYS.set(item, keys);
}

/** The partition keys a transformation function returned with `item`, if any. */
export function lambdaPartitionKeysOf(item: unknown): Readonly<Record<string, string>> | undefined {
  return item !== null && typeof item === 'object' ? KEYS.get(item) : undefined;
}
