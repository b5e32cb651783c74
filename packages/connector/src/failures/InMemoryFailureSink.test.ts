import { record } from '../../test/pipelineFakes';
import { InMemoryFailureSink } from './InMemoryFailureSink';
import { errorCodeOf, toFailureRecord } from './toFailureRecord';

describe('InMemoryFailureSink and toFailureRecord', () => {
  it('keeps what it is given, in order, until cleared', async () => {
    const r = record(1, 'raw');
    const failure = toFailureRecord('shard-9', { ...r }, Object.assign(new Error('bad'), { code: 'Nope' }), 2, 123);
    expect(failure).toEqual({
      attemptsMade: 2,
      arrivalTimestamp: r.approximateArrivalTimestamp!.getTime(),
      errorCode: 'Nope',
      errorMessage: 'bad',
      attemptEndingTimestamp: 123,
      rawData: 'cmF3',
      kinesisRecordMetadata: { shardId: 'shard-9', partitionKey: r.partitionKey, sequenceNumber: r.sequenceNumber, subsequenceNumber: 0, approximateArrivalTimestamp: r.approximateArrivalTimestamp!.getTime() },
    });
    const sink = new InMemoryFailureSink();
    await sink.put([failure]);
    await sink.put([{ ...failure, attemptsMade: 3 }]);
    expect(sink.records.map((f) => f.attemptsMade)).toEqual([2, 3]);
    sink.clear();
    expect(sink.records).toEqual([]);
  });

  it('codes errors by code, else name; unknown arrival is 0', () => {
    expect(errorCodeOf(new TypeError('x'))).toBe('TypeError');
    expect(errorCodeOf('text')).toBe('Error');
    const { approximateArrivalTimestamp: _ignored, ...noArrival } = record(2);
    expect(toFailureRecord('s', noArrival, new Error('e'), 0, 1).arrivalTimestamp).toBe(0);
  });
});
