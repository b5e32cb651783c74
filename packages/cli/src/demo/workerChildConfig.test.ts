import type { DemoEnvironment } from './DemoEnvironment';
import { resolveDemoOptions } from './DemoOptions';
import { childConfig } from './workerChildConfig';

const environment = {
  aws: { region: 'us-east-1', kinesisEndpoint: undefined, dynamodbEndpoint: undefined, s3Endpoint: undefined, localCredentials: undefined },
  streamName: 'shared',
  applicationName: 'kt-demo-app-r',
  s3: undefined,
  postgres: undefined,
} as unknown as DemoEnvironment;

describe('childConfig', () => {
  it('starts every worker of a run on a shared stream at the same moment — a worker restarted later too', () => {
    const options = resolveDemoOptions({ streamName: 'shared', bucket: 'b' });
    const startAtMs = Date.parse('2026-01-01T00:00:00Z');
    const first = childConfig(options, environment, 'r', 'worker-1', startAtMs);
    const restarted = childConfig(options, environment, 'r', 'worker-1b', startAtMs);
    expect(first.initialPosition).toEqual({ timestampMs: startAtMs });
    expect(restarted.initialPosition).toEqual(first.initialPosition);
  });

  it('reads a fresh local stream from its start', () => {
    expect(childConfig(resolveDemoOptions({}), environment, 'r', 'worker-1', 0).initialPosition).toBe('TRIM_HORIZON');
  });
});
