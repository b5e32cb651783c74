import * as crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: Uint8Array | string, outputEncoding: 'buffer') => Buffer;
// crypto.hash (Node ≥ 20.12) skips the Hash object and is markedly faster for small inputs.
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

/** MD5 of some bytes. */
export const md5: (data: Uint8Array) => Buffer =
  typeof oneShot === 'function'
    ? (data) => oneShot('md5', data, 'buffer')
    : (data) => crypto.createHash('md5').update(data).digest();

/** MD5 of a string's UTF-8 bytes, without building the bytes first where the runtime allows. */
export const md5OfUtf8: (text: string) => Buffer =
  typeof oneShot === 'function'
    ? (text) => oneShot('md5', text, 'buffer')
    : (text) => crypto.createHash('md5').update(text, 'utf8').digest();
