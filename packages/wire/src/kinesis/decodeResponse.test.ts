import fixtures from './fixtures/emulator-answers.json';
import { CborWriter } from '../cbor/CborWriter';
import { decodeCbor } from '../cbor/decodeCbor';
import { decodeResponse } from './decodeResponse';
import { WireShapeError } from './WireShapeError';
import type { WireOperation } from './requestShapes';

interface Answer {
  readonly server: string;
  readonly name: string;
  readonly operation: WireOperation;
  readonly status: number;
  readonly cbor: string;
}
const answers = fixtures.answers as Answer[];
const written = fixtures.data.map((hex) => new Uint8Array(Buffer.from(hex, 'hex')));
const answer = (server: string, name: string): Answer => answers.find((a) => a.server === server && a.name === name)!;
const decode = (a: Answer): Record<string, unknown> => decodeResponse(a.operation, decodeCbor(Buffer.from(a.cbor, 'hex')));

describe('decodeResponse: the SDK output shape from CBOR answers', () => {
  // Captured from the emulators (fixtures/emulators/captureAnswers.js): records written as JSON by the SDK.
  it.each(['kinesalite', 'kinesis-mock'])('%s GetRecords: every record byte for byte, Data a plain Uint8Array, arrival time a Date', (server) => {
    const output = decode(answer(server, 'GetRecords of three records written as JSON'));
    const records = output.Records as { Data: Uint8Array; ApproximateArrivalTimestamp: Date; PartitionKey: string; SequenceNumber: string }[];
    expect(records.map((r) => r.Data)).toEqual(written);
    for (const record of records) {
      expect(record.Data.constructor).toBe(Uint8Array);
      expect(record.ApproximateArrivalTimestamp).toBeInstanceOf(Date);
      // Written moments before the capture, whatever the server's unit: a date of this decade.
      expect(record.ApproximateArrivalTimestamp.getUTCFullYear()).toBeGreaterThanOrEqual(2024);
      expect(record.SequenceNumber).toMatch(/^\d{20,}$/);
    }
    expect(records.map((r) => r.PartitionKey)).toEqual(['key-0', 'key-1', 'key-2']);
    expect(typeof output.NextShardIterator).toBe('string');
    expect(output.MillisBehindLatest).toBe(0);
    // kinesis-mock writes `ChildShards: null`: absent, as in the SDK's JSON output.
    expect('ChildShards' in output).toBe(false);
  });

  it.each(['kinesalite', 'kinesis-mock'])('%s PutRecords and PutRecord: results per entry', (server) => {
    const putRecords = decode(answer(server, 'PutRecords'));
    expect(putRecords.FailedRecordCount).toBe(0);
    expect(putRecords.Records).toEqual([
      { ShardId: 'shardId-000000000000', SequenceNumber: expect.stringMatching(/^\d+$/) },
      { ShardId: 'shardId-000000000000', SequenceNumber: expect.stringMatching(/^\d+$/) },
    ]);
    expect(decode(answer(server, 'PutRecord'))).toMatchObject({ ShardId: 'shardId-000000000000', SequenceNumber: expect.stringMatching(/^\d+$/) });
    expect(decode(answer(server, 'GetShardIterator TRIM_HORIZON'))).toEqual({ ShardIterator: expect.any(String) });
  });

  it('an answer in the form AWS sends and the Java SDK reads: tag 1 milliseconds, byte strings, indefinite-length maps', () => {
    const writer = new CborWriter().startMap().text('Records').startArray();
    writer.startMap().text('SequenceNumber').text('49590338271490256608559692538361571095921575989136588898');
    writer.text('ApproximateArrivalTimestamp').epochMillis(1_787_036_486_712).text('Data').bytesValue(new Uint8Array([0, 255])).text('PartitionKey').text('pk');
    writer.text('EncryptionType').text('KMS').end().end();
    writer.text('NextShardIterator').text('next').text('MillisBehindLatest').unsigned(1500);
    writer.text('ChildShards').startArray().startMap().text('ShardId').text('shardId-000000000002').text('ParentShards').startArray().text('shardId-000000000000').end();
    writer.text('HashKeyRange').startMap().text('StartingHashKey').text('0').text('EndingHashKey').text('99').end().end().end();
    writer.text('SomeFutureMember').unsigned(1).end();
    expect(decodeResponse('GetRecords', decodeCbor(writer.bytes()))).toEqual({
      Records: [
        {
          SequenceNumber: '49590338271490256608559692538361571095921575989136588898',
          ApproximateArrivalTimestamp: new Date(1_787_036_486_712),
          Data: new Uint8Array([0, 255]),
          PartitionKey: 'pk',
          EncryptionType: 'KMS',
        },
      ],
      NextShardIterator: 'next',
      MillisBehindLatest: 1500,
      ChildShards: [{ ShardId: 'shardId-000000000002', ParentShards: ['shardId-000000000000'], HashKeyRange: { StartingHashKey: '0', EndingHashKey: '99' } }],
    });
  });

  it('a member of the wrong type is an error that names it, never a silent guess', () => {
    const writer = new CborWriter().startMap().text('Records').startArray().startMap().text('Data').unsigned(5).end().end().end();
    expect(() => decodeResponse('GetRecords', decodeCbor(writer.bytes()))).toThrow(new WireShapeError('GetRecords.Records[0].Data', 'a byte string', 5));
    expect(() => decodeResponse('GetShardIterator', decodeCbor(new CborWriter().text('x').bytes()))).toThrow(WireShapeError);
  });
});
