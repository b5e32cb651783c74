import { InvalidArgumentError, KinesisToolkitError } from '@kinesis-toolkit/core';
import { AggregateBuilder, resolveAggregateBuilderOptions } from './AggregateBuilder';
import { deaggregate } from './deaggregate';
import { EmptyAggregateError } from './errors/EmptyAggregateError';
import { InvalidRecordError } from './errors/InvalidRecordError';
import { RecordTooLargeError } from './errors/RecordTooLargeError';
import { hashKeyDecimalOf } from './hashing/hashKey';
import { KPL_AGGREGATION_MAGIC, MAX_RECORD_BYTES } from './limits';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const sdkRecord = (data: Buffer) => ({ Data: data, PartitionKey: 'a', SequenceNumber: '49590338271490256608559692538361571095921575989136588898' });

describe('AggregateBuilder', () => {
  it('builds an aggregate with partition key "a" and the first record\'s hash key as EHK, as the KPL does', () => {
    const builder = new AggregateBuilder();
    expect(builder.tryAdd({ partitionKey: 'user-1', data: bytes('one') })).toBe(true);
    expect(builder.tryAdd({ partitionKey: 'user-2', data: bytes('two') })).toBe(true);
    const built = builder.build();
    expect(built.partitionKey).toBe('a');
    expect(built.explicitHashKey).toBe(hashKeyDecimalOf('user-1'));
    expect(built.aggregated).toBe(true);
    expect(built.userRecordCount).toBe(2);
    expect(built.data.subarray(0, 4)).toEqual(Buffer.from(KPL_AGGREGATION_MAGIC));
  });

  it('uses the first record\'s explicit hash key when it has one', () => {
    const builder = new AggregateBuilder();
    builder.tryAdd({ partitionKey: 'k', data: bytes('x'), explicitHashKey: '12345' });
    builder.tryAdd({ partitionKey: 'k', data: bytes('y') });
    expect(builder.build().explicitHashKey).toBe('12345');
  });

  it('tryAddValidated builds the same bytes as tryAdd, without checking the record again', () => {
    const records = [
      { partitionKey: 'user-1', data: bytes('one') },
      { partitionKey: 'ключ', data: bytes('two'), explicitHashKey: '12345' },
      { partitionKey: 'user-1', data: bytes('three') },
    ];
    const checked = new AggregateBuilder();
    const trusted = new AggregateBuilder();
    for (const record of records) {
      expect(checked.tryAdd(record)).toBe(true);
      expect(trusted.tryAddValidated(record)).toBe(true);
    }
    expect(trusted.build()).toEqual(checked.build());
    // The check is the caller's: a record tryAdd refuses goes in unchecked.
    const unpaired = { partitionKey: 'k\ud800', data: bytes('x') };
    expect(() => new AggregateBuilder().tryAdd(unpaired)).toThrow(InvalidRecordError);
    expect(new AggregateBuilder().tryAddValidated(unpaired)).toBe(true);
  });

  it('sends a single record as itself unless told otherwise', () => {
    const plain = new AggregateBuilder();
    plain.tryAdd({ partitionKey: 'solo', data: bytes('payload') });
    expect(plain.build()).toEqual({
      partitionKey: 'solo',
      explicitHashKey: hashKeyDecimalOf('solo'),
      data: bytes('payload'),
      userRecordCount: 1,
      aggregated: false,
    });

    const forced = new AggregateBuilder({ unaggregatedSingleRecord: false });
    forced.tryAdd({ partitionKey: 'solo', data: bytes('payload') });
    const built = forced.build();
    expect(built.aggregated).toBe(true);
    expect(deaggregate(sdkRecord(built.data)).records.map((r) => r.data.toString())).toEqual(['payload']);
  });

  it('knows its exact size before building, including multi-byte keys and multi-byte varints', () => {
    const builder = new AggregateBuilder({ unaggregatedSingleRecord: false });
    const records = [
      { partitionKey: 'ü-schlüssel-🎉', data: Buffer.alloc(200, 1) },
      { partitionKey: 'ü-schlüssel-🎉', data: Buffer.alloc(20_000, 2), explicitHashKey: '340282366920938463463374607431768211455' },
      { partitionKey: 'k2', data: Buffer.alloc(0) },
    ];
    for (const record of records) {
      const predicted = builder.sizeWith(record);
      builder.tryAdd(record);
      expect(builder.sizeBytes).toBe(predicted);
    }
    const expected = builder.sizeBytes;
    expect(builder.build().data.length).toBe(expected);
    expect(builder.count).toBe(0);
    expect(builder.sizeBytes).toBe(0);
  });

  it('refuses a record that would overflow maxBytes, and takes it after build()', () => {
    const builder = new AggregateBuilder({ maxBytes: 300 });
    let added = 0;
    while (builder.tryAdd({ partitionKey: `key-${added}`, data: Buffer.alloc(40) })) added++;
    expect(added).toBeGreaterThan(1);
    expect(builder.sizeBytes).toBeLessThanOrEqual(300);
    expect(builder.sizeWith({ partitionKey: `key-${added}`, data: Buffer.alloc(40) })).toBeGreaterThan(300);
    expect(builder.build().data.length).toBeLessThanOrEqual(300);
    expect(builder.tryAdd({ partitionKey: `key-${added}`, data: Buffer.alloc(40) })).toBe(true);
  });

  it('stops at maxCount', () => {
    const builder = new AggregateBuilder({ maxCount: 3 });
    expect([1, 2, 3, 4].map((i) => builder.tryAdd({ partitionKey: `k${i}`, data: bytes('d') }))).toEqual([true, true, true, false]);
  });

  it('throws RecordTooLargeError for a record that cannot fit even an empty aggregate', () => {
    const builder = new AggregateBuilder({ maxBytes: 100 });
    const tooBig = () => builder.tryAdd({ partitionKey: 'k', data: Buffer.alloc(100) });
    expect(tooBig).toThrow(RecordTooLargeError);
    expect(tooBig).toThrow(/over the limit of 100 bytes/);
  });

  it('defaults maxBytes to 1 MiB minus the aggregate partition key', () => {
    expect(resolveAggregateBuilderOptions().maxBytes).toBe(MAX_RECORD_BYTES - 1);
  });

  it.each([
    [{ maxBytes: 0 }, 'maxBytes', /^maxBytes: expected an integer in \[24, 10485760\], got 0$/],
    [{ maxBytes: 1.5 }, 'maxBytes', /got 1.5$/],
    [{ maxBytes: NaN }, 'maxBytes', /got NaN$/],
    [{ maxBytes: 11 * MAX_RECORD_BYTES }, 'maxBytes', /got 11534336$/],
    [{ maxCount: 0 }, 'maxCount', /^maxCount: expected an integer >= 1, got 0$/],
    [{ unaggregatedSingleRecord: 'yes' as unknown as boolean }, 'unaggregatedSingleRecord', /^unaggregatedSingleRecord: expected true or false, got "yes"$/],
    [{ maxByte: 100 } as never, 'maxByte', /did you mean "maxBytes"/],
    [null as never, 'options', /^options: expected an object, got null$/],
  ])('rejects bad options %p with an InvalidArgumentError naming %s', (options, argument, message) => {
    expect(() => new AggregateBuilder(options)).toThrow(InvalidArgumentError);
    expect(() => new AggregateBuilder(options)).toThrow(expect.objectContaining({ argument, code: 'INVALID_ARGUMENT' }));
    expect(() => new AggregateBuilder(options)).toThrow(message);
  });

  it('rejects malformed records at the boundary, naming the field, without changing its state', () => {
    const builder = new AggregateBuilder();
    builder.tryAdd({ partitionKey: 'ok', data: bytes('x') });
    const attempt = (record: unknown) => () => builder.tryAdd(record as never);
    expect(attempt({ partitionKey: '', data: bytes('x') })).toThrow(expect.objectContaining({ field: 'partitionKey' }));
    expect(attempt({ partitionKey: 'k', data: 'text' })).toThrow(expect.objectContaining({ field: 'data' }));
    expect(attempt({ partitionKey: 'k', data: bytes('x'), explicitHashKey: '-1' })).toThrow(InvalidRecordError);
    expect(builder.count).toBe(1);
  });

  it('throws a typed EmptyAggregateError when built empty', () => {
    const builder = new AggregateBuilder();
    expect(() => builder.build()).toThrow(EmptyAggregateError);
    expect(() => builder.build()).toThrow(expect.objectContaining({ code: 'EmptyAggregate', retryable: false }));
    expect(() => builder.build()).toThrow(KinesisToolkitError);
    builder.tryAdd({ partitionKey: 'k', data: bytes('x') });
    builder.build();
    expect(() => builder.build()).toThrow(/no records to build/);
  });

  it('validates the record sizeWith() is asked about, as tryAdd() does', () => {
    expect(() => new AggregateBuilder().sizeWith(null as never)).toThrow(expect.objectContaining({ field: 'record', code: 'InvalidRecord' }));
    expect(() => new AggregateBuilder().sizeWith({ partitionKey: 'k', data: bytes('x'), explicitHashKey: '01' })).toThrow(
      expect.objectContaining({ field: 'explicitHashKey' }),
    );
  });
});
