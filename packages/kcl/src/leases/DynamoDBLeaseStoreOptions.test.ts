import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { DYNAMODB_LEASE_STORE_DEFAULTS, resolveDynamoDBLeaseStoreOptions, type DynamoDBLeaseStoreOptions } from './DynamoDBLeaseStoreOptions';

describe('resolveDynamoDBLeaseStoreOptions', () => {
  it('fills in the defaults and freezes the result', () => {
    const resolved = resolveDynamoDBLeaseStoreOptions({ tableName: 'my-app', logger: undefined });
    expect(resolved).toEqual({ ...DYNAMODB_LEASE_STORE_DEFAULTS, tableName: 'my-app' });
    expect(resolved.billingMode).toBe('PAY_PER_REQUEST');
    expect(resolved.requestTimeoutMs).toBe(2000);
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('accepts provisioned capacities with PROVISIONED, and retry options over the defaults', () => {
    expect(resolveDynamoDBLeaseStoreOptions({ tableName: 'app', billingMode: 'PROVISIONED', readCapacity: 5 })).toMatchObject({
      readCapacity: 5,
      writeCapacity: 10,
    });
    expect(resolveDynamoDBLeaseStoreOptions({ tableName: 'app', retry: { maxAttempts: 5 } }).retry).toEqual({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 });
  });

  it.each<[string, unknown, string]>([
    ['a missing table name', {}, 'tableName: expected 3-255 characters'],
    ['a short table name', { tableName: 'ab' }, 'tableName: expected'],
    ['a table name with spaces', { tableName: 'my app' }, 'tableName: expected'],
    ['an unknown billing mode', { tableName: 'app', billingMode: 'ON_DEMAND' }, 'billingMode: expected one of "PAY_PER_REQUEST", "PROVISIONED", got "ON_DEMAND"'],
    ['capacities with PAY_PER_REQUEST', { tableName: 'app', readCapacity: 5 }, "readCapacity: expected nothing with billingMode 'PAY_PER_REQUEST'"],
    ['a zero capacity', { tableName: 'app', billingMode: 'PROVISIONED', writeCapacity: 0 }, 'writeCapacity: expected an integer >= 1, got 0'],
    ['a fractional poll interval', { tableName: 'app', tableActivePollIntervalMs: 1.5 }, 'tableActivePollIntervalMs: expected an integer >= 1, got 1.5'],
    ['a zero page size', { tableName: 'app', listPageSize: 0 }, 'listPageSize: expected an integer >= 1 or Infinity, got 0'],
    ['a zero request timeout', { tableName: 'app', requestTimeoutMs: 0 }, 'requestTimeoutMs: expected an integer in [1, 3600000], got 0'],
    ['retry that is not an object', { tableName: 'app', retry: 3 }, 'retry: expected an object, got 3'],
    ['an unknown retry option', { tableName: 'app', retry: { attempts: 3 } }, 'retry.attempts: expected no such option'],
    ['a clock without now()', { tableName: 'app', clock: {} }, 'clock.now: expected a function (a Clock has now, setTimeout, clearTimeout), got undefined'],
    ['a logger that is not one', { tableName: 'app', logger: console.log }, 'logger: expected a Logger'],
    ['random that is not a function', { tableName: 'app', random: 5 }, 'random: expected a function, got 5'],
    ['a misspelt option', { tableName: 'app', requestTimeout: 5 }, 'requestTimeout: expected no such option — did you mean "requestTimeoutMs"?'],
  ])('rejects %s with an InvalidArgumentError naming the option', (_, options, message) => {
    const error = (() => {
      try {
        resolveDynamoDBLeaseStoreOptions(options as DynamoDBLeaseStoreOptions);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain(message);
  });
});
