/**
 * Per-key order checks for records whose data reads `${partitionKey}#${n}`, n counting each key's
 * puts from 0: what a reader that follows the shard lineage saw, against what was put.
 */

/** The data of the n-th record put for `key`. */
export function keyedData(key: string, n: number): string {
  return `${key}#${n}`;
}

/** What a read-back shows about per-key order. */
export interface KeyOrderReport {
  /** A record read after a later one of its key: `key-2: n=742 after n=1412`. */
  readonly inversions: string[];
  /** Records read more than once. */
  readonly duplicates: number;
  /** Records put and never read: `key-2: n=17`. */
  readonly missing: string[];
  /** Records read in all. */
  readonly read: number;
}

/**
 * Checks `read` (in the order a lineage-following reader sees them) against `expected` (how many
 * records each key was given, numbered from 0).
 */
export function checkKeyOrder(read: Iterable<{ readonly partitionKey: string; readonly data: string | Uint8Array }>, expected: ReadonlyMap<string, number>): KeyOrderReport {
  const highest = new Map<string, number>();
  const seen = new Map<string, Set<number>>();
  const inversions: string[] = [];
  let duplicates = 0;
  let count = 0;
  for (const record of read) {
    count++;
    const data = typeof record.data === 'string' ? record.data : Buffer.from(record.data).toString();
    const n = Number(data.slice(data.lastIndexOf('#') + 1));
    const key = record.partitionKey;
    let numbers = seen.get(key);
    if (numbers === undefined) seen.set(key, (numbers = new Set()));
    if (numbers.has(n)) {
      duplicates++;
      continue;
    }
    numbers.add(n);
    const top = highest.get(key) ?? -1;
    if (n < top) inversions.push(`${key}: n=${n} after n=${top}`);
    else highest.set(key, n);
  }
  const missing: string[] = [];
  for (const [key, total] of expected) {
    const numbers = seen.get(key);
    for (let n = 0; n < total; n++) if (!numbers?.has(n)) missing.push(`${key}: n=${n}`);
  }
  return { inversions, duplicates, missing, read: count };
}
