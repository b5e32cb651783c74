import type { UserRecord } from '@kinesis-toolkit/aggregation';
import { formatRecord, toJsonLine } from './formatRecord';

const record = (data: Buffer, extra: Partial<UserRecord> = {}): UserRecord => ({
  partitionKey: 'key-1',
  data,
  sequenceNumber: '4960',
  subSequenceNumber: 2,
  aggregated: true,
  approximateArrivalTimestamp: new Date('2024-05-01T12:00:00.000Z'),
  ...extra,
});

describe('formatRecord', () => {
  it('json: one line with the data as UTF-8 text when it is valid UTF-8', () => {
    expect(formatRecord('json', 'shardId-000000000001', record(Buffer.from('héllo\n'))).toString()).toBe(
      '{"shardId":"shardId-000000000001","sequenceNumber":"4960","subSequenceNumber":2,"partitionKey":"key-1","aggregated":true,' +
        '"approximateArrivalTimestamp":"2024-05-01T12:00:00.000Z","data":"héllo\\n","encoding":"utf8"}\n',
    );
  });

  it('json: base64 when the data is not valid UTF-8; explicit hash key when set; no timestamp when absent', () => {
    const line = toJsonLine('s', record(Buffer.from([0xff, 0xfe, 0x00]), { explicitHashKey: '123', approximateArrivalTimestamp: undefined }));
    expect(line).toEqual({
      shardId: 's',
      sequenceNumber: '4960',
      subSequenceNumber: 2,
      partitionKey: 'key-1',
      explicitHashKey: '123',
      aggregated: true,
      data: '//4A',
      encoding: 'base64',
    });
  });

  it('text: one line per record, control characters escaped, binary as base64:', () => {
    expect(formatRecord('text', 's', record(Buffer.from('a\tb\nc'))).toString()).toBe('s  4960:2  key-1  a\\tb\\nc\n');
    expect(formatRecord('text', 's', record(Buffer.from([0xff]))).toString()).toBe('s  4960:2  key-1  base64:/w==\n');
  });

  it('raw: the data bytes exactly, then a newline', () => {
    expect(formatRecord('raw', 's', record(Buffer.from([0xff, 0x0a, 0x41])))).toEqual(Buffer.from([0xff, 0x0a, 0x41, 0x0a]));
  });

  it('raw: a record that already ends with a newline (a line `produce` sent) gets no second one', () => {
    expect(formatRecord('raw', 's', record(Buffer.from('line 1\n'))).toString()).toBe('line 1\n');
  });
});
