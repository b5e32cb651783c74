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
