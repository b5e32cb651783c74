/**
 * Finds which positions of `items` an emitter's `failed` list names. Items are matched by
 * identity — which for primitives (a JSON text, a line) is their value — as a multiset: two equal
 * strings in a batch of which one failed mark one position, not both. Positions come back in
 * batch order; entries of `failed` that match nothing are counted in `unknown`.
 */
export function matchFailed<U>(items: readonly U[], failed: readonly U[]): { positions: number[]; unknown: number } {
  if (failed.length === 0) return { positions: [], unknown: 0 };
  const byItem = new Map<U, number[]>();
  items.forEach((item, position) => {
    const list = byItem.get(item);
    if (list === undefined) byItem.set(item, [position]);
    else list.push(position);
  });
  const positions: number[] = [];
  let unknown = 0;
  for (const item of failed) {
    const position = byItem.get(item)?.shift();
    if (position === undefined) unknown++;
    else positions.push(position);
  }
  return { positions: positions.sort((a, b) => a - b), unknown };
}
