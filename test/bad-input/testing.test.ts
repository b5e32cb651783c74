/**
 * Bad input to @kinesis-toolkit/testing that is refused before anything starts: options of the
 * servers and proxies, client configuration and the helpers. (Settings of a running FaultProxy:
 * testing.integ.test.ts.)
 *
 * @jest-environment ./test/bad-input/support/trackingEnvironment.js
 */
import {
  clientConfigFor,
  createBucket,
  createStream,
  FaultProxy,
  getTestStack,
  ShardLimitProxy,
  startKinesisMock,
  startLocalStack,
  startPostgres,
  uniqueName,
  waitFor,
} from '@kinesis-toolkit/testing';
import { expectTypedError, failOnUnhandledRejections } from './support/badInput';

failOnUnhandledRejections();

const target = { host: '127.0.0.1', port: 4567 };

describe('testing: servers and proxies refuse bad options before starting', () => {
  it.each([
    ['startLocalStack({ shardLimit: 0 })', () => startLocalStack({ shardLimit: 0 }), 'shardLimit'],
    ['startLocalStack({ shardlimit: 5 }): unknown, with a suggestion', () => startLocalStack({ shardlimit: 5 } as never), 'shardLimit'],
    ['startLocalStack({ clientOptions: { maxAttempts: -1 } })', () => startLocalStack({ clientOptions: { maxAttempts: -1 } }), 'clientOptions.maxAttempts'],
    ["startLocalStack({ logger: 'console' })", () => startLocalStack({ logger: 'console' as never }), 'logger'],
    ["startKinesisMock({ protocol: 'h2' })", () => startKinesisMock({ protocol: 'h2' as never }), 'protocol'],
    ['startKinesisMock({ startAttempts: 0 })', () => startKinesisMock({ startAttempts: 0 }), 'startAttempts'],
    ['startKinesisMock({ env: { SHARD_LIMIT: 5 } })', () => startKinesisMock({ env: { SHARD_LIMIT: 5 as never } }), 'env.SHARD_LIMIT'],
    ["startPostgres({ user: '' })", () => startPostgres({ user: '' }), 'user'],
    ["startPostgres({ createPostgresUser: 'yes' })", () => startPostgres({ createPostgresUser: 'yes' as never }), 'createPostgresUser'],
    ["FaultProxy.start({ target: { host: '127.0.0.1', port: 0 } })", () => FaultProxy.start({ target: { host: '127.0.0.1', port: 0 } }), 'target.port'],
    ['FaultProxy.start({ target, random: 5 })', () => FaultProxy.start({ target, random: 5 as never }), 'random'],
    ['FaultProxy.start({}) without a target', () => FaultProxy.start({} as never), 'target'],
    ["ShardLimitProxy.start({ target: 'https://127.0.0.1:1' }): http only", () => ShardLimitProxy.start({ target: 'https://127.0.0.1:1' }), 'target'],
    ['ShardLimitProxy.start({ target, scale: 0 })', () => ShardLimitProxy.start({ target: 'http://127.0.0.1:1', scale: 0 }), 'scale'],
    ['ShardLimitProxy.start({ target, clock: {} })', () => ShardLimitProxy.start({ target: 'http://127.0.0.1:1', clock: {} as never }), 'clock'],
  ])('%s', async (_, run, field) => {
    await expectTypedError(run, field);
  });
});

describe('testing: clients and helpers', () => {
  const kinesisLike = { send: async () => ({}) };
  it.each([
    ["clientConfigFor('notaurl')", () => clientConfigFor('notaurl'), 'endpoint'],
    ['clientConfigFor(endpoint, { maxAtempts: 1 }): unknown, with a suggestion', () => clientConfigFor('http://127.0.0.1:1', { maxAtempts: 1 } as never), 'maxAttempts'],
    ['getTestStack({ requestTimeoutMs: NaN })', () => getTestStack({ requestTimeoutMs: Number.NaN }), 'requestTimeoutMs'],
    ['waitFor(() => true, { timeoutMs: NaN })', () => waitFor(() => true, { timeoutMs: Number.NaN }), 'timeoutMs'],
    ["waitFor('ready')", () => waitFor('ready' as never), 'condition'],
    ['createStream({}, name)', () => createStream({} as never, 'orders'), 'client'],
    ['createStream(client, name, 0 shards)', () => createStream(kinesisLike as never, 'orders', 0), 'shardCount'],
    ["createBucket(client, '')", () => createBucket(kinesisLike as never, ''), 'bucketName'],
    ['uniqueName(5)', () => uniqueName(5 as never), 'prefix'],
  ])('%s', async (_, run, field) => {
    await expectTypedError(run, field);
  });
});
