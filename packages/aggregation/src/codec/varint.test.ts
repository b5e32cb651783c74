import { varintSize, writeVarint } from './varint';
import { ProtobufReader } from './ProtobufReader';

describe('varint', () => {
  it.each([0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 35, 2 ** 53 - 1])('writes and reads %d in varintSize bytes', (value) => {
    const buffer = new Uint8Array(10);
    const end = writeVarint(buffer, 0, value);
    expect(end).toBe(varintSize(value));
    const reader = new ProtobufReader(buffer, 0, end);
    expect(reader.varint()).toBe(value);
    expect(reader.done).toBe(true);
  });

  it('rejects a truncated varint', () => {
    expect(() => new ProtobufReader(Uint8Array.of(0x80, 0x80), 0, 2).varint()).toThrow(/truncated varint/);
  });
});

describe('ProtobufReader.skip', () => {
  it('skips 10-byte varints (uint64 max, int64 -1)', () => {
    const bytes = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x05);
    const reader = new ProtobufReader(bytes, 0, bytes.length);
    reader.skip(0x78); // field 15, varint
    expect(reader.varint()).toBe(5);
  });

  it('rejects a varint longer than 64 bits', () => {
    const bytes = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02);
    expect(() => new ProtobufReader(bytes, 0, bytes.length).varint()).toThrow(/longer than 64 bits/);
  });

  it('skips a group with nested fields up to its end-group tag', () => {
    // start group 7, { field 1 varint 3, field 2 bytes "x" }, end group 7, then varint 9
    const bytes = Uint8Array.of(0x3b, 0x08, 0x03, 0x12, 0x01, 0x78, 0x3c, 0x09);
    const reader = new ProtobufReader(bytes, 0, bytes.length);
    reader.skip(reader.varint());
    expect(reader.varint()).toBe(9);
  });

  it('rejects a group closed by another field\'s end-group tag', () => {
    const bytes = Uint8Array.of(0x3b, 0x44);
    const reader = new ProtobufReader(bytes, 0, bytes.length);
    expect(() => reader.skip(reader.varint())).toThrow(/group 7 closed by end-group 8/);
  });
});
