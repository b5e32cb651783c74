import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { zipSync } from 'fflate';
import { compress as snappyCompress } from 'snappyjs';
import { maskedCrc32c } from './crc32c';

const gzipAsync = promisify(gzip);

/** Firehose's `CompressionFormat` values for S3 delivery. */
export type CompressionFormat = 'UNCOMPRESSED' | 'GZIP' | 'ZIP' | 'Snappy' | 'HADOOP_SNAPPY';

/** The extension Firehose gives objects of each compression format. */
export const COMPRESSION_EXTENSIONS: Readonly<Record<CompressionFormat, string>> = Object.freeze({
  UNCOMPRESSED: '',
  GZIP: '.gz',
  ZIP: '.zip',
  Snappy: '.snappy',
  HADOOP_SNAPPY: '.snappy',
});

// Snappy framing format: chunks of at most 64 KiB of uncompressed data.
const FRAME_STREAM_IDENTIFIER = Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]);
const FRAME_CHUNK_BYTES = 65_536;
// Hadoop's BlockCompressorStream with SnappyCodec: blocks of 256 KiB by default.
const HADOOP_BLOCK_BYTES = 256 * 1024;

/**
 * Compresses an object body as Firehose does for S3:
 * - `GZIP`: gzip;
 * - `ZIP`: a zip archive holding one entry, named `entryName`;
 * - `Snappy`: the Snappy framing format (stream identifier, then compressed chunks with masked
 *   CRC-32C checksums of their uncompressed data) — what `snappy -d`/python-snappy's stream decoder reads;
 * - `HADOOP_SNAPPY`: Hadoop's block format (per block: uncompressed length, compressed length,
 *   both 4-byte big-endian, then raw Snappy) — what Hadoop's `SnappyCodec` (Hive, Spark) reads.
 */
export async function compressObject(format: CompressionFormat, body: Buffer, entryName: string): Promise<Buffer> {
  switch (format) {
    case 'UNCOMPRESSED':
      return body;
    case 'GZIP':
      return gzipAsync(body);
    case 'ZIP':
      return Buffer.from(zipSync({ [entryName]: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) }));
    case 'Snappy':
      return snappyFramed(body);
    case 'HADOOP_SNAPPY':
      return hadoopSnappy(body);
  }
}

function snappyFramed(body: Buffer): Buffer {
  const chunks: Buffer[] = [FRAME_STREAM_IDENTIFIER];
  for (let offset = 0; offset < body.length; offset += FRAME_CHUNK_BYTES) {
    const slice = body.subarray(offset, Math.min(body.length, offset + FRAME_CHUNK_BYTES));
    const compressed = Buffer.from(snappyCompress(slice));
    const header = Buffer.alloc(8);
    header[0] = 0x00; // compressed data chunk
    header.writeUIntLE(compressed.length + 4, 1, 3);
    header.writeUInt32LE(maskedCrc32c(slice), 4);
    chunks.push(header, compressed);
  }
  return Buffer.concat(chunks);
}

function hadoopSnappy(body: Buffer): Buffer {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += HADOOP_BLOCK_BYTES) {
    const slice = body.subarray(offset, Math.min(body.length, offset + HADOOP_BLOCK_BYTES));
    const compressed = Buffer.from(snappyCompress(slice));
    const header = Buffer.alloc(8);
    header.writeUInt32BE(slice.length, 0);
    header.writeUInt32BE(compressed.length, 4);
    chunks.push(header, compressed);
  }
  return Buffer.concat(chunks);
}
