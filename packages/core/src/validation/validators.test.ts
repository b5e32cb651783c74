import {
  rejectUnknownOptions,
  requireArray,
  requireAwsClient,
  requireBoolean,
  requireFunction,
  requireInteger,
  requireMethods,
  requireNumber,
  requireObject,
  requireOneOf,
  requireString,
  requireUrl,
  withoutUndefined,
} from './validators';
import { InvalidArgumentError } from '../errors/InvalidArgumentError';
import { KinesisToolkitError } from '../errors/KinesisToolkitError';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBeInstanceOf(KinesisToolkitError);
    return (error as Error).message;
  }
  throw new Error('did not throw');
}

describe('validators: one message format, `name: expected …, got …`', () => {
  it.each([
    [() => requireInteger('collectionMaxCount', 0, 1, 500), 'collectionMaxCount: expected an integer in [1, 500], got 0'],
    [() => requireInteger('n', 1.5, 0), 'n: expected an integer >= 0, got 1.5'],
    [() => requireInteger('n', '5', 0), 'n: expected an integer >= 0, got "5"'],
    [() => requireNumber('rate', NaN, 0), 'rate: expected a number >= 0, got NaN'],
    [() => requireNumber('rate', Infinity, 0, 10), 'rate: expected a number in [0, 10], got Infinity'],
    [() => requireString('streamName', ''), 'streamName: expected a non-empty string, got ""'],
    [() => requireString('key', 'x'.repeat(300), { maxLength: 256 }), `key: expected a string of 1 to 256 characters, got "${'x'.repeat(77)}"… (300 characters)`],
    [() => requireString('name', 'a b', { pattern: /^[a-z]+$/, expected: 'lowercase letters' }), 'name: expected lowercase letters, got "a b"'],
    [() => requireBoolean('preserveOrder', 'yes'), 'preserveOrder: expected true or false, got "yes"'],
    [() => requireFunction('random', 5), 'random: expected a function, got 5'],
    [() => requireOneOf('format', 'xml', ['json', 'pretty']), 'format: expected one of "json", "pretty", got "xml"'],
    [() => requireObject('retry', null), 'retry: expected an object, got null'],
    [() => requireObject('retry', [1]), 'retry: expected an object, got an array of 1'],
    [() => requireArray('tags', [1, 'x'], (n, v) => requireInteger(n, v, 0)), 'tags[1]: expected an integer >= 0, got "x"'],
    [() => requireAwsClient('kinesisClient', {}, 'a KinesisClient'), 'kinesisClient: expected a KinesisClient (an object with a send() method), got an object'],
    [() => requireMethods('clock', { now: () => 0 }, ['now', 'setTimeout', 'clearTimeout'], 'a Clock'), 'clock.setTimeout: expected a function (a Clock has now, setTimeout, clearTimeout), got undefined'],
    [() => requireMethods('logger', 'console', ['debug', 'warn'], 'a Logger'), 'logger: expected a Logger (with debug, warn), got "console"'],
    [() => requireUrl('--kinesis-endpoint', 'notaurl'), '--kinesis-endpoint: expected an http:// or https:// URL, got "notaurl"'],
    [() => requireUrl('endpoint', 'ftp://x'), 'endpoint: expected an http:// or https:// URL, got "ftp://x"'],
    [() => requireInteger('when', new Date(Number.NaN), 0), 'when: expected an integer >= 0, got an invalid Date'],
    [() => requireInteger('data', Buffer.alloc(3), 0), 'data: expected an integer >= 0, got Buffer of 3 bytes'],
  ])('%#: %s', (fn, message) => {
    expect(messageOf(fn)).toBe(message);
  });

  it('returns the value when it is valid', () => {
    expect(requireInteger('n', 5, 0, 10)).toBe(5);
    expect(requireUrl('u', 'http://127.0.0.1:4567')).toBe('http://127.0.0.1:4567');
    expect(requireOneOf('f', 'json', ['json', 'pretty'])).toBe('json');
    const clock = { now: () => 0 };
    expect(requireMethods('clock', clock, ['now'], 'a Clock')).toBe(clock);
  });

  it('names an unknown option with the closest known one', () => {
    expect(messageOf(() => rejectUnknownOptions('', { recordTtl: 5 }, ['recordTtlMs', 'retry']))).toBe('recordTtl: expected no such option — did you mean "recordTtlMs"?, got 5');
    expect(messageOf(() => rejectUnknownOptions('retry', { zzz: 1 }, ['baseDelayMs']))).toBe('retry.zzz: expected no such option (known: baseDelayMs), got 1');
    expect(() => rejectUnknownOptions('', { a: 1 }, ['a'])).not.toThrow();
  });

  it('withoutUndefined drops undefined values only', () => {
    expect(withoutUndefined({ a: 1, b: undefined, c: null, d: 0 })).toEqual({ a: 1, c: null, d: 0 });
  });
});
