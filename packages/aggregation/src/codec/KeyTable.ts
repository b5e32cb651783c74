/** Slots of a new table; doubled whenever it is half full. */
const INITIAL_SLOTS = 256;

/**
 * A key table of an aggregate (its partition keys, or its explicit hash keys): strings in
 * first-seen order with their UTF-8 sizes, and each one's position by key. An open-addressing
 * hash table on typed arrays, emptied by bumping a generation stamp, so that looking keys up and
 * adding them allocates nothing, aggregate after aggregate — a `Map` would grow a new table for
 * every aggregate. Internal.
 */
export class KeyTable {
  /** The keys, in first-seen order: `keys[0..count)` (slots past `count` are stale). */
  keys: string[] = [];
  /** Their UTF-8 sizes, `byteLengths[0..count)`. */
  byteLengths = new Int32Array(INITIAL_SLOTS / 2);
  count = 0;
  #hashes = new Int32Array(INITIAL_SLOTS / 2);
  /** Per slot: the generation that filled it (another generation: empty) and its key's position. */
  #slotGeneration = new Int32Array(INITIAL_SLOTS);
  #slotIndex = new Int32Array(INITIAL_SLOTS);
  #mask = INITIAL_SLOTS - 1;
  #generation = 1;
  /** The key {@link indexOf} looked at last and its hash, for the {@link add} that usually follows. */
  #lastKey: string | undefined;
  #lastHash = 0;

  /** The position of `key`, or -1. */
  indexOf(key: string): number {
    const hash = hashOf(key);
    this.#lastKey = key;
    this.#lastHash = hash;
    const generation = this.#generation;
    for (let slot = hash & this.#mask; this.#slotGeneration[slot] === generation; slot = (slot + 1) & this.#mask) {
      const index = this.#slotIndex[slot]!;
      if (this.#hashes[index] === hash && this.keys[index] === key) return index;
    }
    return -1;
  }

  /** Adds a key that is not in the table (as {@link indexOf} found); returns its position. */
  add(key: string, byteLength: number): number {
    const index = this.count;
    if (index === this.#hashes.length) this.#growEntries();
    if ((index + 1) * 2 > this.#slotGeneration.length) this.#growSlots();
    const hash = key === this.#lastKey ? this.#lastHash : hashOf(key);
    this.keys[index] = key;
    this.byteLengths[index] = byteLength;
    this.#hashes[index] = hash;
    this.#place(hash, index);
    this.count = index + 1;
    return index;
  }

  /** Empties the table (the key strings stay referenced until overwritten: at most one aggregate's worth). */
  clear(): void {
    this.count = 0;
    if (++this.#generation === 0x7fffffff) {
      this.#slotGeneration.fill(0);
      this.#generation = 1;
    }
  }

  #place(hash: number, index: number): void {
    const generation = this.#generation;
    let slot = hash & this.#mask;
    while (this.#slotGeneration[slot] === generation) slot = (slot + 1) & this.#mask;
    this.#slotGeneration[slot] = generation;
    this.#slotIndex[slot] = index;
  }

  #growEntries(): void {
    const size = this.#hashes.length * 2;
    const hashes = new Int32Array(size);
    hashes.set(this.#hashes);
    this.#hashes = hashes;
    const byteLengths = new Int32Array(size);
    byteLengths.set(this.byteLengths);
    this.byteLengths = byteLengths;
  }

  #growSlots(): void {
    const size = this.#slotGeneration.length * 2;
    this.#slotGeneration = new Int32Array(size);
    this.#slotIndex = new Int32Array(size);
    this.#mask = size - 1;
    this.#generation = 1;
    for (let index = 0; index < this.count; index++) this.#place(this.#hashes[index]!, index);
  }
}

/** FNV-1a over the UTF-16 code units: enough to spread keys over the slots (equality is checked). */
function hashOf(key: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash;
}
