/**
 * MD5 of a partition key, computed in JavaScript straight into the 128-bit hash key's four
 * big-endian 32-bit words — no Buffer, no BigInt. A partition key is at most a few hundred bytes,
 * where the native one-shot hash pays more for crossing into C++ and allocating its result than
 * for hashing; this path is what the consumer's per-sub-record range check and the producer's
 * shard prediction run on. Written from RFC 1321.
 */

// Per-step left-rotation amounts, four per round (RFC 1321 §3.4).
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
// T[i] = floor(2^32 × |sin(i + 1)|).
const T = new Int32Array(64);
for (let i = 0; i < 64; i++) T[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 0x1_0000_0000) | 0;

const encoder = new TextEncoder();
let scratch: Uint8Array = new Uint8Array(1024);
const words = new Int32Array(16);

/**
 * Writes MD5(UTF-8 bytes of `text`) read as a big-endian 128-bit integer into `out[0..3]`
 * (`out[0]` most significant). Lone surrogates hash as U+FFFD, as `Buffer.from(text)` encodes them.
 * @returns the UTF-8 length of `text` in bytes (it had to be encoded anyway).
 */
export function hashKeyWordsOf(text: string, out: Uint32Array): number {
  const length = utf8Into(text);
  // Padding: 0x80, zeros to 56 mod 64, then the bit length (little-endian, 64-bit).
  const total = ((length + 8) >>> 6) * 64 + 64;
  if (scratch.length < total) scratch = grow(scratch, total);
  const bytes = scratch;
  bytes[length] = 0x80;
  bytes.fill(0, length + 1, total - 8);
  const bits = length * 8;
  bytes[total - 8] = bits & 0xff;
  bytes[total - 7] = (bits >>> 8) & 0xff;
  bytes[total - 6] = (bits >>> 16) & 0xff;
  bytes[total - 5] = (bits >>> 24) & 0xff;
  bytes[total - 4] = 0;
  bytes[total - 3] = 0;
  bytes[total - 2] = 0;
  bytes[total - 1] = 0;

  let a0 = 0x67452301 | 0;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476 | 0;
  for (let offset = 0; offset < total; offset += 64) {
    for (let w = 0; w < 16; w++) {
      const p = offset + w * 4;
      words[w] = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);
    }
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const sum = (a + f + T[i]! + words[g]!) | 0;
      const shift = SHIFTS[((i >>> 4) << 2) | (i & 3)]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  // The digest is a0..d0 little-endian; the hash key reads those bytes big-endian.
  out[0] = byteSwap(a0);
  out[1] = byteSwap(b0);
  out[2] = byteSwap(c0);
  out[3] = byteSwap(d0);
  return length;
}

/** Compares two 128-bit keys given as four big-endian words each: negative, zero or positive. */
export function compareHashKeyWords(left: Uint32Array, right: Uint32Array): number {
  for (let i = 0; i < 4; i++) {
    if (left[i] !== right[i]) return left[i]! < right[i]! ? -1 : 1;
  }
  return 0;
}

/** A 128-bit bigint as four big-endian 32-bit words. */
export function hashKeyToWords(hashKey: bigint): Uint32Array {
  const out = new Uint32Array(4);
  for (let i = 3; i >= 0; i--) {
    out[i] = Number(hashKey & 0xffff_ffffn);
    hashKey >>= 32n;
  }
  return out;
}

/** Four big-endian 32-bit words as a bigint. */
export function wordsToHashKey(words: Uint32Array): bigint {
  return (BigInt(words[0]!) << 96n) | (BigInt(words[1]!) << 64n) | (BigInt(words[2]!) << 32n) | BigInt(words[3]!);
}

function byteSwap(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/** UTF-8 length of a string in bytes: counted in JavaScript for ASCII (most keys), natively otherwise. */
export function utf8ByteLength(text: string): number {
  const n = text.length;
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) >= 0x80) return Buffer.byteLength(text, 'utf8');
  return n;
}

/** Writes `text` as UTF-8 into `scratch` (growing it as needed); returns the byte length. */
function utf8Into(text: string): number {
  const n = text.length;
  if (scratch.length < n * 3 + 72) scratch = grow(scratch, n * 3 + 72);
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return encoder.encodeInto(text, scratch).written;
    scratch[i] = code;
  }
  return n;
}

function grow(buffer: Uint8Array, atLeast: number): Uint8Array {
  let size = buffer.length;
  while (size < atLeast) size *= 2;
  return new Uint8Array(size);
}
