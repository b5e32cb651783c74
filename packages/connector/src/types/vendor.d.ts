// snappyjs ships no types: the raw Snappy block compressor the Firehose compression formats use.
declare module 'snappyjs' {
  export function compress(input: Uint8Array): Uint8Array;
  export function uncompress(input: Uint8Array): Uint8Array;
}
