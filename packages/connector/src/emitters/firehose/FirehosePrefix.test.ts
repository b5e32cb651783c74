import { FirehosePrefix } from './FirehosePrefix';
import { firehoseObjectName, stableRandomString, stableUuid } from './objectName';

const at = new Date(Date.UTC(2024, 4, 1, 13, 5, 9));

describe('FirehosePrefix (Firehose’s custom prefix rules)', () => {
  it('appends yyyy/MM/dd/HH/ when the prefix has no timestamp expression', () => {
    expect(FirehosePrefix.parse('prefix', '', 'prefix').expand({ timestamp: at, randomString: 'r' })).toBe('2024/05/01/13/');
    expect(FirehosePrefix.parse('prefix', 'logs/', 'prefix').expand({ timestamp: at, randomString: 'r' })).toBe('logs/2024/05/01/13/');
    expect(FirehosePrefix.parse('prefix', "year=!{timestamp:yyyy}/month=!{timestamp:MM}/!{firehose:random-string}/", 'prefix').expand({ timestamp: at, randomString: 'abcdefghijk' })).toBe(
      'year=2024/month=05/abcdefghijk/',
    );
  });

  it('puts the error output type in error prefixes only, and appends the time there too', () => {
    const errors = FirehosePrefix.parse('errorOutputPrefix', 'errors/!{firehose:error-output-type}/', 'errorPrefix');
    expect(errors.expand({ timestamp: at, randomString: 'r', errorOutputType: 'format-conversion-failed' })).toBe('errors/format-conversion-failed/2024/05/01/13/');
    expect(() => FirehosePrefix.parse('prefix', 'x/!{firehose:error-output-type}/', 'prefix')).toThrow(/prefix: expected no !\{firehose:error-output-type\} \(it is allowed in the error prefix only\)/);
  });

  it('takes partition keys only with dynamic partitioning, never in the error prefix, and then appends no time', () => {
    const prefix = FirehosePrefix.parse('prefix', 'customer=!{partitionKeyFromQuery:customer_id}/device=!{partitionKeyFromLambda:device}/', 'prefix', true);
    expect(prefix.queryKeys).toEqual(['customer_id']);
    expect(prefix.lambdaKeys).toEqual(['device']);
    expect(prefix.expand({ timestamp: at, randomString: 'r', queryKeys: { customer_id: 'c1' }, lambdaKeys: { device: 'phone' } })).toBe('customer=c1/device=phone/');
    expect(() => FirehosePrefix.parse('prefix', '!{partitionKeyFromQuery:a}/', 'prefix', false)).toThrow(/unless dynamic partitioning is enabled/);
    expect(() => FirehosePrefix.parse('errorOutputPrefix', '!{partitionKeyFromQuery:a}/', 'errorPrefix', true)).toThrow(/cannot be used in the error prefix/);
    expect(() => FirehosePrefix.parse('prefix', 'static/', 'prefix', true)).toThrow(/at least one !\{partitionKeyFromQuery:NAME\}/);
  });

  it('rejects unknown namespaces, bad patterns and prefixes over 1,024 characters', () => {
    expect(() => FirehosePrefix.parse('prefix', '!{foo:bar}', 'prefix')).toThrow(/expressions in the namespaces timestamp, firehose/);
    expect(() => FirehosePrefix.parse('prefix', '!{timestamp:QQ}', 'prefix')).toThrow(/unsupported letters/);
    expect(() => FirehosePrefix.parse('prefix', '!{timestamp:yyyy', 'prefix')).toThrow(/closed with \}/);
    expect(() => FirehosePrefix.parse('prefix', 'x'.repeat(1025), 'prefix')).toThrow(/at most 1024 characters/);
  });
});

describe('Firehose object names', () => {
  it('are DeliveryStream-Version-YYYY-MM-dd-HH-MM-SS-<uuid><extension>, the same for the same seed', () => {
    const name = firehoseObjectName('orders', 3, at, 'seed', '.gz');
    expect(name).toMatch(/^orders-3-2024-05-01-13-05-09-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.gz$/);
    expect(firehoseObjectName('orders', 3, at, 'seed', '.gz')).toBe(name);
    expect(stableUuid('a')).not.toBe(stableUuid('b'));
    expect(stableRandomString('a')).toMatch(/^[A-Za-z0-9]{11}$/);
  });
});
