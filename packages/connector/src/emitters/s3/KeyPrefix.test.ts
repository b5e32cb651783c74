import fc from 'fast-check';
import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { KeyPrefix } from './KeyPrefix';

describe('KeyPrefix', () => {
  const at = new Date(Date.UTC(2024, 1, 29, 7, 5, 9, 42));

  it('formats Firehose timestamp patterns in UTC', () => {
    expect(KeyPrefix.parse('prefix', 'logs/!{timestamp:yyyy/MM/dd/HH}/').expand({ timestamp: at })).toBe('logs/2024/02/29/07/');
    expect(KeyPrefix.parse('prefix', '!{timestamp:yy-MM-dd HH:mm:ss.SSS}').expand({ timestamp: at })).toBe('24-02-29 07:05:09.042');
  });

  it("keeps quoted text literally ('' is a quote) and other characters as they are", () => {
    expect(KeyPrefix.parse('prefix', "!{timestamp:yyyy-MM-dd'T'HH}_x").expand({ timestamp: at })).toBe('2024-02-29T07_x');
    expect(KeyPrefix.parse('prefix', "!{timestamp:'year='yyyy''}").expand({ timestamp: at })).toBe("year=2024'");
  });

  it('supports several expressions and plain prefixes', () => {
    const prefix = KeyPrefix.parse('prefix', 'y=!{timestamp:yyyy}/m=!{timestamp:MM}/');
    expect(prefix.expand({ timestamp: at })).toBe('y=2024/m=02/');
    expect(prefix.hasTimestamp).toBe(true);
    expect(KeyPrefix.parse('prefix', 'plain/').expand({ timestamp: at })).toBe('plain/');
    expect(KeyPrefix.parse('prefix', '').hasTimestamp).toBe(false);
  });

  it('replaces the error output type only in error prefixes', () => {
    const prefix = KeyPrefix.parse('errorPrefix', 'e/!{firehose:error-output-type}/', { allowErrorOutputType: true });
    expect(prefix.expand({ timestamp: at, errorOutputType: 'http-endpoint-failed' })).toBe('e/http-endpoint-failed/');
    expect(prefix.expand({ timestamp: at })).toBe('e/processing-failed/');
    expect(() => KeyPrefix.parse('prefix', '!{firehose:error-output-type}')).toThrow(/only allowed in an error prefix/);
  });

  it.each([
    ['!{timestamp:YYYY}', /unsupported letters in "YYYY", got "YYYY"/],
    ['!{timestamp:yyyyMMddHHz}', /got "z"/],
    ['!{timestamp:}', /expected a pattern in !\{timestamp:…\}/],
    ["!{timestamp:'open}", /unterminated quote/],
    ['!{partitionKeyFromQuery:id}', /prefix: expected !\{timestamp:PATTERN\}, got "!\{partitionKeyFromQuery:id\}"/],
    ['a/!{timestamp:yyyy', /prefix: expected a prefix whose every !\{ expression is closed/],
  ])('rejects %s with an InvalidArgumentError naming the option', (prefix, message) => {
    expect(() => KeyPrefix.parse('prefix', prefix)).toThrow(InvalidArgumentError);
    expect(() => KeyPrefix.parse('prefix', prefix)).toThrow(message);
  });

  it('rejects a non-string prefix and an invalid date', () => {
    expect(() => KeyPrefix.parse('prefix', 42)).toThrow('prefix: expected a string, got 42');
    expect(() => KeyPrefix.parse('prefix', '!{timestamp:yyyy}').expand({ timestamp: new Date(NaN) })).toThrow(TypeError);
  });

  it('agrees with the ISO-8601 rendering for any instant (property)', () => {
    const prefix = KeyPrefix.parse('prefix', "!{timestamp:yyyy-MM-dd'T'HH:mm:ss.SSS}");
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1000, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }), (date) => {
        expect(`${prefix.expand({ timestamp: date })}Z`).toBe(date.toISOString());
      }),
    );
  });
});
