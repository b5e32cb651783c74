import { DYNAMODB_LEASE_STORE_DEFAULTS, resolveDynamoDBLeaseStoreOptions, type DynamoDBLeaseStoreOptions } from './DynamoDBLeaseStoreOptions';

describe('resolveDynamoDBLeaseStoreOptions', () => {
  it('fills in the defaults and freezes the result', () => {
    const resolved = resolveDynamoDBLeaseStoreOptions({ tableName: 'my-app', logger: undefined });
    expect(resolved).toEqual({ ...DYNAMODB_LEASE_STORE_DEFAULTS, tableName: 'my-app' });
    expect(resolved.billingMode).toBe('PAY_PER_REQUEST');
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('accepts provisioned capacities with PROVISIONED', () => {
    expect(resolveDynamoDBLeaseStoreOptions({ tableName: 'app', billingMode: 'PROVISIONED', readCapacity: 5 })).toMatchObject({
      readCapacity: 5,
      writeCapacity: 10,
    });
  });

  it.each<[string, unknown, string]>([
    ['a missing table name', {}, 'tableName'],
    ['a short table name', { tableName: 'ab' }, 'tableName'],
    ['a table name with spaces', { tableName: 'my app' }, 'tableName'],
    ['an unknown billing mode', { tableName: 'app', billingMode: 'ON_DEMAND' }, 'billingMode'],
    ['capacities with PAY_PER_REQUEST', { tableName: 'app', readCapacity: 5 }, 'readCapacity/writeCapacity'],
    ['a zero capacity', { tableName: 'app', billingMode: 'PROVISIONED', writeCapacity: 0 }, 'writeCapacity'],
    ['a fractional poll interval', { tableName: 'app', tableActivePollIntervalMs: 1.5 }, 'tableActivePollIntervalMs'],
    ['a zero page size', { tableName: 'app', listPageSize: 0 }, 'listPageSize'],
    ['a clock without now()', { tableName: 'app', clock: {} }, 'clock'],
  ])('rejects %s with a TypeError naming the option', (_, options, option) => {
    expect(() => resolveDynamoDBLeaseStoreOptions(options as DynamoDBLeaseStoreOptions)).toThrow(TypeError);
    expect(() => resolveDynamoDBLeaseStoreOptions(options as DynamoDBLeaseStoreOptions)).toThrow(option);
  });
});
