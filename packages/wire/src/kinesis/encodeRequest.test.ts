import vectors from './fixtures/jackson-requests.json';
import { encodeRequest } from './encodeRequest';
import type { WireOperation } from './requestShapes';

interface Vector {
  readonly name: string;
  readonly operation: WireOperation;
  readonly input: Record<string, unknown>;
  readonly cbor: string;
}

/** The SDK input a vector describes: `{hex}` is a Uint8Array, `{epochMillis}` a Date. */
function sdkValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sdkValue);
  if (value !== null && typeof value === 'object') {
    const described = value as { hex?: string; epochMillis?: number };
    if (described.hex !== undefined) return new Uint8Array(Buffer.from(described.hex, 'hex'));
    if (described.epochMillis !== undefined) return new Date(described.epochMillis);
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, sdkValue(member)]));
  }
  return value;
}

const hex = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : Buffer.from(bytes).toString('hex'));

describe('encodeRequest: byte for byte what the AWS SDK for Java sends (vectors written by Jackson CBORGenerator, fixtures/jackson)', () => {
  it.each((vectors as Vector[]).map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    expect(hex(encodeRequest(vector.operation, sdkValue(vector.input) as object))).toBe(vector.cbor);
  });

  it('writes a Buffer like any Uint8Array, and members in Java order whatever the input order', () => {
    const vector = (vectors as Vector[]).find((v) => v.name === 'PutRecord with every member')!;
    const input = sdkValue(vector.input) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(input).reverse().map(([key, value]) => [key, value instanceof Uint8Array ? Buffer.from(value) : value]));
    expect(hex(encodeRequest('PutRecord', reordered))).toBe(vector.cbor);
  });

  it('reads a numeric Timestamp as epoch seconds, as the SDK does', () => {
    const vector = (vectors as Vector[]).find((v) => v.operation === 'GetShardIterator' && 'Timestamp' in v.input)!;
    const input = { ...(sdkValue(vector.input) as object), Timestamp: 1787036486.712 };
    expect(hex(encodeRequest('GetShardIterator', input))).toBe(vector.cbor);
  });

  it('leaves out undefined and null members, as Java leaves out nulls', () => {
    const vector = (vectors as Vector[]).find((v) => v.name === 'GetRecords with Limit 10000')!;
    const input = { ...(sdkValue(vector.input) as object), StreamARN: undefined, StreamId: null };
    expect(hex(encodeRequest('GetRecords', input))).toBe(vector.cbor);
  });
});

describe('encodeRequest: inputs it will not guess at (the SDK sends those as JSON)', () => {
  const valid = { StreamName: 's', PartitionKey: 'k', Data: new Uint8Array([1]) };
  it.each([
    ['a member this package does not know (a newer SDK)', { ...valid, SomeNewMember: 'x' }],
    ['Data given as a string', { ...valid, Data: 'text' }],
    ['a partition key with a lone surrogate', { ...valid, PartitionKey: 'a\ud800b' }],
    ['a number where a string belongs', { ...valid, ExplicitHashKey: 5 }],
  ])('PutRecord with %s', (_what, input) => {
    expect(encodeRequest('PutRecord', input)).toBeUndefined();
  });

  it.each([
    ['a negative Limit', { ShardIterator: 'i', Limit: -1 }],
    ['a fractional Limit', { ShardIterator: 'i', Limit: 1.5 }],
  ])('GetRecords with %s', (_what, input) => {
    expect(encodeRequest('GetRecords', input)).toBeUndefined();
  });

  it('GetShardIterator with a timestamp that is a string', () => {
    expect(encodeRequest('GetShardIterator', { ShardId: 's', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: '2024-01-01' })).toBeUndefined();
  });

  it('PutRecords with an entry that is not an object', () => {
    expect(encodeRequest('PutRecords', { StreamName: 's', Records: [null] })).toBeUndefined();
  });
});
