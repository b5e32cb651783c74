import { dateOf } from './timestamps';
import { WireShapeError } from './WireShapeError';

describe('dateOf: a CBOR timestamp as the SDK JSON path would give it', () => {
  const millis = 1_787_036_486_712;
  it.each([
    ['tag 1 with epoch milliseconds (AWS, the Java SDK)', { tag: 1, value: millis }, millis],
    ['tag 1 with a bigint', { tag: 1, value: BigInt(millis) }, millis],
    ['untagged milliseconds (kinesis-mock)', millis, millis],
    ['untagged seconds with a fraction (kinesalite), rounded like the SDK', 1_787_036_486.712, millis],
    ['untagged whole seconds (kinesalite, when the time falls on a second)', 1_787_036_486, 1_787_036_486_000],
    ['tag 1 with seconds (RFC 8949)', { tag: 1, value: 1_787_036_486.712 }, millis],
  ])('%s', (_what, value, expected) => {
    expect(dateOf(value, 'T')).toEqual(new Date(expected));
  });

  it.each([
    ['another tag', { tag: 0, value: '2024-01-01T00:00:00Z' }],
    ['a string', '1787036486712'],
    ['NaN', Number.NaN],
  ])('rejects %s', (_what, value) => {
    expect(() => dateOf(value, 'Records[0].ApproximateArrivalTimestamp')).toThrow(WireShapeError);
  });
});
