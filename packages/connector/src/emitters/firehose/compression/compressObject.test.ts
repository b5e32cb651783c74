import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { uncompress } from 'snappyjs';
import { compressObject } from './compressObject';
import { crc32c, maskedCrc32c } from './crc32c';

const body = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `{"n":${i},"text":"record number ${i}"}\n`).join(''));

/** The Snappy framing format, read from its specification (stream identifier, chunk headers, masked CRC-32C). */
function readSnappyFramed(data: Buffer): Buffer {
  expect(data.subarray(0, 10)).toEqual(Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]));
  const out: Buffer[] = [];
  for (let offset = 10; offset < data.length; ) {
    const type = data[offset]!;
    const length = data.readUIntLE(offset + 1, 3);
    const checksum = data.readUInt32LE(offset + 4);
    const payload = data.subarray(offset + 8, offset + 4 + length);
    expect(type).toBe(0x00);
    const chunk = Buffer.from(uncompress(payload));
    expect(chunk.length).toBeLessThanOrEqual(65_536);
    expect(maskedCrc32c(chunk)).toBe(checksum);
    out.push(chunk);
    offset += 4 + length;
  }
  return Buffer.concat(out);
}

/** Hadoop's block-compressed Snappy: [uncompressed length][compressed length][snappy block]… (big-endian). */
function readHadoopSnappy(data: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let offset = 0; offset < data.length; ) {
    const raw = data.readUInt32BE(offset);
    const size = data.readUInt32BE(offset + 4);
    const block = Buffer.from(uncompress(data.subarray(offset + 8, offset + 8 + size)));
    expect(block.length).toBe(raw);
    out.push(block);
    offset += 8 + size;
  }
  return Buffer.concat(out);
}

describe('compressObject (Firehose’s S3 compression formats)', () => {
  it('CRC-32C matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('GZIP, ZIP (one entry), Snappy framing and Hadoop Snappy all give the original bytes back; UNCOMPRESSED is the body', async () => {
    expect(gunzipSync(await compressObject('GZIP', body, 'x'))).toEqual(body);
    const zip = unzipSync(new Uint8Array(await compressObject('ZIP', body, 'orders-1-2024')));
    expect(Object.keys(zip)).toEqual(['orders-1-2024']);
    expect(Buffer.from(zip['orders-1-2024']!)).toEqual(body);
    const framed = await compressObject('Snappy', body, 'x');
    expect(framed.length).toBeLessThan(body.length);
    expect(readSnappyFramed(framed)).toEqual(body);
    expect(readHadoopSnappy(await compressObject('HADOOP_SNAPPY', body, 'x'))).toEqual(body);
    expect(await compressObject('UNCOMPRESSED', body, 'x')).toBe(body);
  });
});
