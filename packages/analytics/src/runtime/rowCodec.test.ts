import { decodeRow, encodeRow } from './rowCodec';

describe('rowCodec', () => {
  it('round-trips rows with every kind of value, and unreadable records', () => {
    const row = { rowtime: 1234, id: 'shardId-0/49/0', values: ['AMZN', 12.5, 7, true, null, Buffer.from([0, 255])] };
    expect(decodeRow(encodeRow(row))).toEqual(row);
    const error = { rowtime: 5, id: 'x', error: { name: 'ParseError', message: 'not JSON', data: Buffer.from('{oops') } };
    expect(decodeRow(encodeRow(error))).toEqual(error);
  });
});
