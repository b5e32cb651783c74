/**
 * Finds the position in `items` of each entry of `wanted` (an emitter's `failed` or `rejected`
 * items). Items are matched by identity — which for primitives (a JSON text, a line) is their
 * value — as a multiset: two equal strings in a batch of which one failed mark one position, not
 * both. `positions[i]` is where `wanted[i]` is, or undefined when it is not in `items` (or every
 * equal item was taken by an earlier entry).
 */
export function matchItems<U>(items: readonly U[], wanted: readonly U[]): (number | undefined)[] {
  if (wanted.length === 0) return [];
  const byItem = new Map<U, number[]>();
  items.forEach((item, position) => {
    const list = byItem.get(item);
    if (list === undefined) byItem.set(item, [position]);
    else list.push(position);
  });
  return wanted.map((item) => byItem.get(item)?.shift());
}

/**
 * Finds which positions of `items` an emitter's `failed` list names (see {@link matchItems}).
 * Positions come back in batch order; entries of `failed` that match nothing are counted in
 * `unknown`.
 */
export function matchFailed<U>(items: readonly U[], failed: readonly U[]): { positions: number[]; unknown: number } {
  const matched = matchItems(items, failed);
  const positions = matched.filter((position): position is number => position !== undefined);
  return { positions: positions.sort((a, b) => a - b), unknown: matched.length - positions.length };
}
