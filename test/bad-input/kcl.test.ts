/**
 * Bad input to @kinesis-toolkit/kcl that needs no server: Worker options and the DynamoDB lease
 * store's options. Each is refused by the constructor with an error of the KinesisToolkitError
 * family naming the option. (Checkpoint arguments, processors and start() twice run against the
 * local stack: kcl.integ.test.ts.)
 *
 * @jest-environment ./test/bad-input/support/trackingEnvironment.js
 */
import { DynamoDBLeaseStore, InMemoryLeaseStore, Worker, type WorkerOptions } from '@kinesis-toolkit/kcl';
import { expectTypedError, failOnUnhandledRejections } from './support/badInput';
import { fakeKinesisClient } from './support/fakeKinesis';

failOnUnhandledRejections();

const processor = { processRecords: () => undefined, shardEnded: () => undefined };
const valid = (): WorkerOptions =>
  ({ streamName: 'orders', applicationName: 'orders-app', processorFactory: () => processor, kinesisClient: fakeKinesisClient(), dynamoClient: fakeKinesisClient() }) as never;

describe('kcl: Worker options', () => {
  it.each([
    ['no streamName nor streamARN', { streamName: undefined }, 'streamName'],
    ['applicationName missing', { applicationName: undefined }, 'applicationName'],
    ["applicationName 'a b' (not a table name)", { applicationName: 'a b' }, 'applicationName'],
    ['processorFactory a processor object instead of a function', { processorFactory: processor }, 'processorFactory'],
    ['kinesisClient: {}', { kinesisClient: {} }, 'kinesisClient'],
    ['dynamoClient: {}', { dynamoClient: {} }, 'dynamoClient'],
    ['random: 5', { random: 5 }, 'random'],
    ["initialPosition 'EARLIEST'", { initialPosition: 'EARLIEST' }, 'initialPosition'],
    ['initialPosition at an invalid Date', { initialPosition: { timestamp: new Date(Number.NaN) } }, 'initialPosition'],
    ['failoverTimeMs NaN', { failoverTimeMs: Number.NaN }, 'failoverTimeMs'],
    ['maxRecords 0', { maxRecords: 0 }, 'maxRecords'],
    ['maxRecords 10001 (GetRecords allows 10,000)', { maxRecords: 10_001 }, 'maxRecords'],
    ["retrievalMode 'push'", { retrievalMode: 'push' }, 'retrievalMode'],
    ['an unknown option (failoverTimeMillis), with a suggestion', { failoverTimeMillis: 10_000 }, 'failoverTimeMs'],
    ["logger: 'console'", { logger: 'console' }, 'logger'],
    ['clock: {}', { clock: {} }, 'clock'],
  ])('new Worker({ %s })', async (_, overrides, field) => {
    await expectTypedError(() => new Worker({ ...valid(), ...overrides } as never, { leaseStore: new InMemoryLeaseStore() }), field);
  });
});

describe('kcl: DynamoDBLeaseStore options', () => {
  it.each([
    ['client: {}', () => new DynamoDBLeaseStore({} as never, { tableName: 'app' }), 'client'],
    ["tableName ''", () => new DynamoDBLeaseStore(fakeKinesisClient() as never, { tableName: '' }), 'tableName'],
    ["billingMode 'FREE'", () => new DynamoDBLeaseStore(fakeKinesisClient() as never, { tableName: 'app', billingMode: 'FREE' as never }), 'billingMode'],
  ])('new DynamoDBLeaseStore(%s)', async (_, run, field) => {
    await expectTypedError(run, field);
  });
});
