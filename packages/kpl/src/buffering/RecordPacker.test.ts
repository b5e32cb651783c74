import { AggregateBuilder, deaggregate, hashKeyDecimalOf } from '@kinesis-toolkit/aggregation';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { RecordPacker } from './RecordPacker';
import { ShardBuffer } from './ShardBuffer';
import { KeyLanes } from '../ordering/KeyLanes';
import type { OutgoingRecord, PendingRecord } from './PendingRecord';
import { pendingRecord } from '../../test/pendingRecord';

const SHARD = 'shardId-000000000000';
const packerConfig = { aggregationEnabled: true, aggregationMaxBytes: 1000, aggregationMaxCount: 4294967295 };

function bufferOf(records: PendingRecord[]): ShardBuffer {
  const buffer = new ShardBuffer(SHARD, SHARD);
  for (const record of records) buffer.add(record);
  return buffer;
}

function userData(outgoing: OutgoingRecord): string[] {
  return deaggregate({ Data: outgoing.data, PartitionKey: outgoing.partitionKey, SequenceNumber: '1' }).records.map((record) => record.data.toString());
}

describe('RecordPacker', () => {
  it('sends each record on its own when aggregation is off', () => {
    const packer = new RecordPacker({ ...packerConfig, aggregationEnabled: false }, undefined);
    const buffer = bufferOf([pendingRecord('a'), pendingRecord('b'), pendingRecord('c')]);
    expect(packer.isFull(buffer)).toBe(true);
    const out = packer.pack(buffer, true);
    expect(out.map((outgoing) => [outgoing.partitionKey, outgoing.aggregated, outgoing.explicitHashKey])).toEqual([
      ['a', false, undefined],
      ['b', false, undefined],
      ['c', false, undefined],
    ]);
    expect(buffer.size).toBe(0);
  });

  it('packs records into aggregates of at most aggregationMaxBytes, in order', () => {
    const packer = new RecordPacker(packerConfig, undefined);
    const records = Array.from({ length: 25 }, (_, i) => pendingRecord(`key-${i}`, `${'v'.repeat(90)}${i}`));
    const buffer = bufferOf(records);
    const out = packer.pack(buffer, false);
    expect(out.length).toBeGreaterThanOrEqual(3);
    for (const outgoing of out) {
      expect(outgoing.data.length).toBeLessThanOrEqual(1000);
      expect(outgoing.aggregated).toBe(true);
      expect(outgoing.partitionKey).toBe('a');
      // The aggregate routes where its first user record is predicted to go.
      expect(outgoing.explicitHashKey).toBe(hashKeyDecimalOf(outgoing.records[0]!.partitionKey));
      expect(outgoing.predictedShardId).toBe(SHARD);
      expect(userData(outgoing)).toEqual(outgoing.records.map((record) => Buffer.from(record.data).toString()));
    }
    expect(out.flatMap((outgoing) => outgoing.records)).toEqual(records);
    expect(buffer.size).toBe(0);
  });

  it('with onlyFull, leaves a trailing aggregate that could still grow in the buffer', () => {
    const packer = new RecordPacker(packerConfig, undefined);
    const records = Array.from({ length: 15 }, (_, i) => pendingRecord(`key-${i}`, 90));
    const buffer = bufferOf(records);
    const out = packer.pack(buffer, true);
    const sent = out.flatMap((outgoing) => outgoing.records);
    expect(out.length).toBeGreaterThanOrEqual(1);
    expect(buffer.records).toEqual(records.slice(sent.length));
    expect(buffer.size).toBeGreaterThan(0);
    // The builder was reset: packing again starts from the buffer's first record.
    const rest = packer.pack(buffer, false);
    expect(rest.flatMap((outgoing) => outgoing.records)).toEqual(records.slice(sent.length));
  });

  it('cuts aggregates at aggregationMaxCount', () => {
    const packer = new RecordPacker({ ...packerConfig, aggregationMaxCount: 4 }, undefined);
    const buffer = bufferOf(Array.from({ length: 10 }, (_, i) => pendingRecord(`k${i}`)));
    expect(packer.isFull(buffer)).toBe(true);
    expect(packer.pack(buffer, false).map((outgoing) => outgoing.records.length)).toEqual([4, 4, 2]);
  });

  it('sends a record too large to aggregate on its own, keeping the order around it', () => {
    const packer = new RecordPacker(packerConfig, undefined);
    const records = [pendingRecord('a'), pendingRecord('b'), pendingRecord('big', 2000), pendingRecord('c')];
    const out = packer.pack(bufferOf(records), false);
    expect(out.map((outgoing) => outgoing.records.map((record) => record.partitionKey))).toEqual([['a', 'b'], ['big'], ['c']]);
    expect(out.map((outgoing) => outgoing.aggregated)).toEqual([true, false, false]);
  });

  it('sends a lone record as itself, with its hash key as explicit hash key', () => {
    const packer = new RecordPacker(packerConfig, undefined);
    const [outgoing] = packer.pack(bufferOf([pendingRecord('solo', 'data')]), false);
    expect(outgoing).toMatchObject({ partitionKey: 'solo', aggregated: false, explicitHashKey: hashKeyDecimalOf('solo') });
    expect(Buffer.from(outgoing!.data).toString()).toBe('data');
  });

  it('drops records that settled while buffered and packs the rest', () => {
    const packer = new RecordPacker(packerConfig, undefined);
    const records = ['a', 'b', 'c', 'd'].map((key) => pendingRecord(key));
    records[0]!.settled = true;
    records[2]!.settled = true;
    const buffer = bufferOf(records);
    expect(packer.pack(buffer, false).flatMap((outgoing) => outgoing.records)).toEqual([records[1], records[3]]);
    expect(buffer.size).toBe(0);
  });

  it('with key lanes, moves a record whose key has a Kinesis record out to its lane, and packs the others', () => {
    const lanes = new KeyLanes();
    const packer = new RecordPacker({ ...packerConfig, aggregationMaxCount: 2 }, lanes);
    // a1 and a2 share a key: a1 goes out in the first aggregate, so a2 must wait for its answer.
    const [a1, b, a2, c, d] = ['a', 'b', 'a', 'c', 'd'].map((key, i) => pendingRecord(key, `${key}${i}`));
    for (const record of [a1!, b!, a2!, c!, d!]) expect(lanes.admit(record)).toBe(true);
    const buffer = bufferOf([a1!, b!, a2!, c!, d!]);
    const out = packer.pack(buffer, false);
    expect(out.map((outgoing) => outgoing.records)).toEqual([[a1, b], [c, d]]);
    expect(buffer.size).toBe(0);
    expect(a2!.lane!.waiting).toEqual([a2]);
    expect(a1!.outgoing).toBe(out[0]);
    // Once the first aggregate is answered, a2 is free to go.
    expect(lanes.finished(out[0]!)).toEqual([a2]);
  });

  it('with key lanes and onlyFull, keeps the trailing aggregate but still moves blocked records out of the buffer', () => {
    const lanes = new KeyLanes();
    const packer = new RecordPacker({ ...packerConfig, aggregationMaxCount: 2 }, lanes);
    const [a1, b, c, a2] = ['a', 'b', 'c', 'a'].map((key, i) => pendingRecord(key, `${key}${i}`));
    for (const record of [a1!, b!, c!, a2!]) lanes.admit(record);
    const buffer = bufferOf([a1!, b!, c!, a2!]);
    const out = packer.pack(buffer, true);
    expect(out.map((outgoing) => outgoing.records)).toEqual([[a1, b]]);
    expect(buffer.records).toEqual([c]);
    expect(a2!.lane!.waiting).toEqual([a2]);
  });

  it('gives an outgoing record the earliest deadline of its user records', () => {
    const packer = new RecordPacker(packerConfig, undefined);
    const records = [pendingRecord('a', 'x', { deadline: 300 }), pendingRecord('b', 'x', { deadline: 120 }), pendingRecord('c', 'x', { deadline: 200 })];
    expect(packer.pack(bufferOf(records), false)[0]!.deadline).toBe(120);
  });

  it('is full once the buffer reaches aggregationMaxBytes (estimated) or aggregationMaxCount', () => {
    const packer = new RecordPacker({ ...packerConfig, aggregationMaxCount: 100 }, undefined);
    expect(packer.isFull(bufferOf([pendingRecord('a', 100)]))).toBe(false);
    expect(packer.isFull(bufferOf(Array.from({ length: 10 }, (_, i) => pendingRecord(`k${i}`, 100))))).toBe(true);
  });

  // Regression test (fixed); the bug was: the "too large to aggregate" test is `record.bytes + 64 > aggregationMaxBytes`,
  // but a 39-digit explicit hash key alone adds 41 bytes of table entry, so such a record's
  // aggregate overhead is ~76 bytes and AggregateBuilder.tryAdd() throws RecordTooLargeError
  // from pack(), leaving the buffer unchanged (and so throwing again at every pack).
  it('sends a record with a long explicit hash key that cannot fit an aggregate on its own, instead of throwing', () => {
    const maxBytes = packerConfig.aggregationMaxBytes;
    const explicitHashKey = MAX_HASH_KEY.toString();
    let length = maxBytes;
    while (!(length + 1 + 64 <= maxBytes && new AggregateBuilder({ maxBytes }).sizeWith({ partitionKey: 'k', data: Buffer.alloc(length), explicitHashKey }) > maxBytes)) length--;
    const record = pendingRecord('k', length, { explicitHashKey });
    const packer = new RecordPacker(packerConfig, undefined);
    let out: OutgoingRecord[] = [];
    expect(() => (out = packer.pack(bufferOf([record]), false))).not.toThrow();
    expect(out.map((outgoing) => [outgoing.aggregated, outgoing.explicitHashKey])).toEqual([[false, explicitHashKey]]);
  });
});
