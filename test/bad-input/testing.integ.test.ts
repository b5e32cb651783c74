/**
 * Bad settings given to a running FaultProxy and ShardLimitProxy (in front of the local stack's
 * kinesalite): each is refused with an InvalidArgumentError naming it, and the proxy keeps its
 * faults as they were.
 *
 * @jest-environment ./test/bad-input/support/trackingEnvironment.js
 */
import { FaultProxy, getTestStack, ShardLimitProxy, type TestStack } from '@kinesis-toolkit/testing';
import { expectTypedError, failOnUnhandledRejections } from './support/badInput';

failOnUnhandledRejections();

let stack: TestStack;
let faultProxy: FaultProxy;
let shardLimitProxy: ShardLimitProxy;
beforeAll(async () => {
  stack = getTestStack();
  const url = new URL(stack.kinesis.endpoint);
  faultProxy = await FaultProxy.start({ target: { host: url.hostname, port: Number(url.port) } });
  shardLimitProxy = await ShardLimitProxy.start({ target: stack.kinesis.endpoint });
});
afterAll(async () => {
  await faultProxy.stop();
  await shardLimitProxy.stop();
  stack.destroy();
});

it.each([
  ['FaultProxy.setResetRate(2)', () => faultProxy.setResetRate(2), 'probability'],
  ['FaultProxy.setResetRate(NaN)', () => faultProxy.setResetRate(Number.NaN), 'probability'],
  ["FaultProxy.setResetRate(0.5, 'sideways')", () => faultProxy.setResetRate(0.5, 'sideways' as never), 'direction'],
  ["FaultProxy.setBlackhole('yes')", () => faultProxy.setBlackhole('yes' as never), 'on'],
  ['FaultProxy.setLatency({ upstreamMs: NaN })', () => faultProxy.setLatency({ upstreamMs: Number.NaN }), 'upstreamMs'],
  ['FaultProxy.setLatency({ upstream: 5 }): unknown, with a suggestion', () => faultProxy.setLatency({ upstream: 5 } as never), 'upstreamMs'],
  ['ShardLimitProxy.setScale(0)', () => shardLimitProxy.setScale(0), 'scale'],
  ['ShardLimitProxy.refreshShards(5)', () => shardLimitProxy.refreshShards(5 as never), 'streamName'],
])('%s', async (_, run, field) => {
  await expectTypedError(run, field);
  expect(faultProxy.faults).toEqual({ latencyMs: { upstream: 0, downstream: 0 }, resetRate: { upstream: 0, downstream: 0 }, blackhole: { upstream: false, downstream: false } });
});
