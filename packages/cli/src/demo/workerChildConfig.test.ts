import type { DemoEnvironment } from './DemoEnvironment';
import { resolveDemoOptions } from './DemoOptions';
import { childConfig, workerMetricsSettings } from './workerChildConfig';

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

describe('workerMetricsSettings (demo --metrics, for each worker process)', () => {
  const settings = {
    targets: [{ kind: 'emf', path: '/tmp/out/m.emf' }, { kind: 'emf', path: '/tmp/out/plain' }, { kind: 'emf', path: '-' }, { kind: 'prometheus', host: '127.0.0.1', port: 9464 }, { kind: 'cloudwatch' }],
    intervalMs: 5000,
    flushTimeoutMs: 2000,
  } as const;

  it('gives each worker its own EMF file (the id before the extension), the port PORT + n, CloudWatch and stdout as they are', () => {
    expect(workerMetricsSettings(settings, 'worker-2', 2)).toEqual({
      targets: [
        { kind: 'emf', path: '/tmp/out/m.worker-2.emf' },
        { kind: 'emf', path: '/tmp/out/plain.worker-2' },
        { kind: 'emf', path: '-' },
        { kind: 'prometheus', host: '127.0.0.1', port: 9466 },
        { kind: 'cloudwatch' },
      ],
      intervalMs: 5000,
      flushTimeoutMs: 2000,
    });
  });

  it('a restarted worker gets a file and a port of its own too', () => {
    const restarted = workerMetricsSettings(settings, 'worker-1b', 3)!;
    expect(restarted.targets[0]).toEqual({ kind: 'emf', path: '/tmp/out/m.worker-1b.emf' });
    expect(restarted.targets[3]).toMatchObject({ port: 9467 });
  });

  it('is undefined without --metrics', () => {
    expect(workerMetricsSettings({ targets: [], intervalMs: 60_000 }, 'worker-1', 1)).toBeUndefined();
  });
});
