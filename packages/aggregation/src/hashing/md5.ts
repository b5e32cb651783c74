import * as crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: Uint8Array, outputEncoding: 'buffer') => Buffer;
// crypto.hash (Node ≥ 20.12) skips the Hash object and is markedly faster for small inputs.
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

/** MD5 of some bytes. */
export const md5: (data: Uint8Array) => Buffer =
  typeof oneShot === 'function'
    ? (data) => oneShot('md5', data, 'buffer')
    : (data) => crypto.createHash('md5').update(data).digest();
