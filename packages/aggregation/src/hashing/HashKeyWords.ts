/**
 * MD5 of a partition key, computed in JavaScript straight into the 128-bit hash key's four
 * big-endian 32-bit words — no Buffer, no BigInt. A partition key is at most a few hundred bytes,
 * where the native one-shot hash pays more for crossing into C++ and allocating its result than
 * for hashing; this path is what the consumer's per-sub-record range check and the producer's
 * shard prediction run on. Written from RFC 1321, the 64 steps unrolled; an ASCII key of up to 55
 * characters (one block) is read straight from the string, without encoding it first.
 */

const encoder = new TextEncoder();
let scratch: Uint8Array = new Uint8Array(1024);
const words = new Int32Array(16);
const state = new Int32Array(4);

/**
 * Writes MD5(UTF-8 bytes of `text`) read as a big-endian 128-bit integer into `out[0..3]`
 * (`out[0]` most significant). Lone surrogates hash as U+FFFD, as `Buffer.from(text)` encodes them.
 * @returns the UTF-8 length of `text` in bytes (it had to be encoded anyway).
 */
export function hashKeyWordsOf(text: string, out: Uint32Array): number {
  state[0] = 0x67452301;
  state[1] = 0xefcdab89;
  state[2] = 0x98badcfe;
  state[3] = 0x10325476;
  let length: number;
  if (text.length <= 55 && asciiBlockOf(text)) {
    // Most keys: ASCII, one block, its words read straight from the string.
    length = text.length;
    md5Block(words, state);
  } else {
    length = utf8Into(text);
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
    for (let offset = 0; offset < total; offset += 64) {
      for (let w = 0; w < 16; w++) {
        const p = offset + w * 4;
        words[w] = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);
      }
      md5Block(words, state);
    }
  }
  // The digest is the state little-endian; the hash key reads those bytes big-endian.
  out[0] = byteSwap(state[0]!);
  out[1] = byteSwap(state[1]!);
  out[2] = byteSwap(state[2]!);
  out[3] = byteSwap(state[3]!);
  return length;
}

/** Fills `words` with the one padded block of an ASCII string of at most 55 characters; false if it is not ASCII. */
function asciiBlockOf(text: string): boolean {
  const n = text.length;
  words.fill(0);
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return false;
    words[i >> 2]! |= code << ((i & 3) << 3);
  }
  words[n >> 2]! |= 0x80 << ((n & 3) << 3);
  words[14] = n << 3;
  return true;
}

/** One MD5 block (RFC 1321 §3.4) over the sixteen little-endian words in `words`, into the state `h`. */
function md5Block(words: Int32Array, h: Int32Array): void {
  const w0 = words[0]!, w1 = words[1]!, w2 = words[2]!, w3 = words[3]!, w4 = words[4]!, w5 = words[5]!, w6 = words[6]!, w7 = words[7]!;
  const w8 = words[8]!, w9 = words[9]!, w10 = words[10]!, w11 = words[11]!, w12 = words[12]!, w13 = words[13]!, w14 = words[14]!, w15 = words[15]!;
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  // Sixty-four steps, unrolled: constants T[i] = floor(2^32 × |sin(i + 1)|) and the shifts inline.
  a = (a + ((b & c) | (~b & d)) + -680876936 + w0) | 0;
  a = ((a << 7) | (a >>> 25)) + b | 0;
  d = (d + ((a & b) | (~a & c)) + -389564586 + w1) | 0;
  d = ((d << 12) | (d >>> 20)) + a | 0;
  c = (c + ((d & a) | (~d & b)) + 606105819 + w2) | 0;
  c = ((c << 17) | (c >>> 15)) + d | 0;
  b = (b + ((c & d) | (~c & a)) + -1044525330 + w3) | 0;
  b = ((b << 22) | (b >>> 10)) + c | 0;
  a = (a + ((b & c) | (~b & d)) + -176418897 + w4) | 0;
  a = ((a << 7) | (a >>> 25)) + b | 0;
  d = (d + ((a & b) | (~a & c)) + 1200080426 + w5) | 0;
  d = ((d << 12) | (d >>> 20)) + a | 0;
  c = (c + ((d & a) | (~d & b)) + -1473231341 + w6) | 0;
  c = ((c << 17) | (c >>> 15)) + d | 0;
  b = (b + ((c & d) | (~c & a)) + -45705983 + w7) | 0;
  b = ((b << 22) | (b >>> 10)) + c | 0;
  a = (a + ((b & c) | (~b & d)) + 1770035416 + w8) | 0;
  a = ((a << 7) | (a >>> 25)) + b | 0;
  d = (d + ((a & b) | (~a & c)) + -1958414417 + w9) | 0;
  d = ((d << 12) | (d >>> 20)) + a | 0;
  c = (c + ((d & a) | (~d & b)) + -42063 + w10) | 0;
  c = ((c << 17) | (c >>> 15)) + d | 0;
  b = (b + ((c & d) | (~c & a)) + -1990404162 + w11) | 0;
  b = ((b << 22) | (b >>> 10)) + c | 0;
  a = (a + ((b & c) | (~b & d)) + 1804603682 + w12) | 0;
  a = ((a << 7) | (a >>> 25)) + b | 0;
  d = (d + ((a & b) | (~a & c)) + -40341101 + w13) | 0;
  d = ((d << 12) | (d >>> 20)) + a | 0;
  c = (c + ((d & a) | (~d & b)) + -1502002290 + w14) | 0;
  c = ((c << 17) | (c >>> 15)) + d | 0;
  b = (b + ((c & d) | (~c & a)) + 1236535329 + w15) | 0;
  b = ((b << 22) | (b >>> 10)) + c | 0;
  a = (a + ((d & b) | (~d & c)) + -165796510 + w1) | 0;
  a = ((a << 5) | (a >>> 27)) + b | 0;
  d = (d + ((c & a) | (~c & b)) + -1069501632 + w6) | 0;
  d = ((d << 9) | (d >>> 23)) + a | 0;
  c = (c + ((b & d) | (~b & a)) + 643717713 + w11) | 0;
  c = ((c << 14) | (c >>> 18)) + d | 0;
  b = (b + ((a & c) | (~a & d)) + -373897302 + w0) | 0;
  b = ((b << 20) | (b >>> 12)) + c | 0;
  a = (a + ((d & b) | (~d & c)) + -701558691 + w5) | 0;
  a = ((a << 5) | (a >>> 27)) + b | 0;
  d = (d + ((c & a) | (~c & b)) + 38016083 + w10) | 0;
  d = ((d << 9) | (d >>> 23)) + a | 0;
  c = (c + ((b & d) | (~b & a)) + -660478335 + w15) | 0;
  c = ((c << 14) | (c >>> 18)) + d | 0;
  b = (b + ((a & c) | (~a & d)) + -405537848 + w4) | 0;
  b = ((b << 20) | (b >>> 12)) + c | 0;
  a = (a + ((d & b) | (~d & c)) + 568446438 + w9) | 0;
  a = ((a << 5) | (a >>> 27)) + b | 0;
  d = (d + ((c & a) | (~c & b)) + -1019803690 + w14) | 0;
  d = ((d << 9) | (d >>> 23)) + a | 0;
  c = (c + ((b & d) | (~b & a)) + -187363961 + w3) | 0;
  c = ((c << 14) | (c >>> 18)) + d | 0;
  b = (b + ((a & c) | (~a & d)) + 1163531501 + w8) | 0;
  b = ((b << 20) | (b >>> 12)) + c | 0;
  a = (a + ((d & b) | (~d & c)) + -1444681467 + w13) | 0;
  a = ((a << 5) | (a >>> 27)) + b | 0;
  d = (d + ((c & a) | (~c & b)) + -51403784 + w2) | 0;
  d = ((d << 9) | (d >>> 23)) + a | 0;
  c = (c + ((b & d) | (~b & a)) + 1735328473 + w7) | 0;
  c = ((c << 14) | (c >>> 18)) + d | 0;
  b = (b + ((a & c) | (~a & d)) + -1926607734 + w12) | 0;
  b = ((b << 20) | (b >>> 12)) + c | 0;
  a = (a + (b ^ c ^ d) + -378558 + w5) | 0;
  a = ((a << 4) | (a >>> 28)) + b | 0;
  d = (d + (a ^ b ^ c) + -2022574463 + w8) | 0;
  d = ((d << 11) | (d >>> 21)) + a | 0;
  c = (c + (d ^ a ^ b) + 1839030562 + w11) | 0;
  c = ((c << 16) | (c >>> 16)) + d | 0;
  b = (b + (c ^ d ^ a) + -35309556 + w14) | 0;
  b = ((b << 23) | (b >>> 9)) + c | 0;
  a = (a + (b ^ c ^ d) + -1530992060 + w1) | 0;
  a = ((a << 4) | (a >>> 28)) + b | 0;
  d = (d + (a ^ b ^ c) + 1272893353 + w4) | 0;
  d = ((d << 11) | (d >>> 21)) + a | 0;
  c = (c + (d ^ a ^ b) + -155497632 + w7) | 0;
  c = ((c << 16) | (c >>> 16)) + d | 0;
  b = (b + (c ^ d ^ a) + -1094730640 + w10) | 0;
  b = ((b << 23) | (b >>> 9)) + c | 0;
  a = (a + (b ^ c ^ d) + 681279174 + w13) | 0;
  a = ((a << 4) | (a >>> 28)) + b | 0;
  d = (d + (a ^ b ^ c) + -358537222 + w0) | 0;
  d = ((d << 11) | (d >>> 21)) + a | 0;
  c = (c + (d ^ a ^ b) + -722521979 + w3) | 0;
  c = ((c << 16) | (c >>> 16)) + d | 0;
  b = (b + (c ^ d ^ a) + 76029189 + w6) | 0;
  b = ((b << 23) | (b >>> 9)) + c | 0;
  a = (a + (b ^ c ^ d) + -640364487 + w9) | 0;
  a = ((a << 4) | (a >>> 28)) + b | 0;
  d = (d + (a ^ b ^ c) + -421815835 + w12) | 0;
  d = ((d << 11) | (d >>> 21)) + a | 0;
  c = (c + (d ^ a ^ b) + 530742520 + w15) | 0;
  c = ((c << 16) | (c >>> 16)) + d | 0;
  b = (b + (c ^ d ^ a) + -995338651 + w2) | 0;
  b = ((b << 23) | (b >>> 9)) + c | 0;
  a = (a + (c ^ (b | ~d)) + -198630844 + w0) | 0;
  a = ((a << 6) | (a >>> 26)) + b | 0;
  d = (d + (b ^ (a | ~c)) + 1126891415 + w7) | 0;
  d = ((d << 10) | (d >>> 22)) + a | 0;
  c = (c + (a ^ (d | ~b)) + -1416354905 + w14) | 0;
  c = ((c << 15) | (c >>> 17)) + d | 0;
  b = (b + (d ^ (c | ~a)) + -57434055 + w5) | 0;
  b = ((b << 21) | (b >>> 11)) + c | 0;
  a = (a + (c ^ (b | ~d)) + 1700485571 + w12) | 0;
  a = ((a << 6) | (a >>> 26)) + b | 0;
  d = (d + (b ^ (a | ~c)) + -1894986606 + w3) | 0;
  d = ((d << 10) | (d >>> 22)) + a | 0;
  c = (c + (a ^ (d | ~b)) + -1051523 + w10) | 0;
  c = ((c << 15) | (c >>> 17)) + d | 0;
  b = (b + (d ^ (c | ~a)) + -2054922799 + w1) | 0;
  b = ((b << 21) | (b >>> 11)) + c | 0;
  a = (a + (c ^ (b | ~d)) + 1873313359 + w8) | 0;
  a = ((a << 6) | (a >>> 26)) + b | 0;
  d = (d + (b ^ (a | ~c)) + -30611744 + w15) | 0;
  d = ((d << 10) | (d >>> 22)) + a | 0;
  c = (c + (a ^ (d | ~b)) + -1560198380 + w6) | 0;
  c = ((c << 15) | (c >>> 17)) + d | 0;
  b = (b + (d ^ (c | ~a)) + 1309151649 + w13) | 0;
  b = ((b << 21) | (b >>> 11)) + c | 0;
  a = (a + (c ^ (b | ~d)) + -145523070 + w4) | 0;
  a = ((a << 6) | (a >>> 26)) + b | 0;
  d = (d + (b ^ (a | ~c)) + -1120210379 + w11) | 0;
  d = ((d << 10) | (d >>> 22)) + a | 0;
  c = (c + (a ^ (d | ~b)) + 718787259 + w2) | 0;
  c = ((c << 15) | (c >>> 17)) + d | 0;
  b = (b + (d ^ (c | ~a)) + -343485551 + w9) | 0;
  b = ((b << 21) | (b >>> 11)) + c | 0;
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
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
