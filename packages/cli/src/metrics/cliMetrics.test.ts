import { CliError } from '../CliError';
import { metricsSettingsFromFlags, startCliMetrics } from './cliMetrics';

describe('metricsSettingsFromFlags (--metrics, --metrics-interval-ms)', () => {
  it('reads emf:PATH, emf:-, prometheus:PORT, prometheus:HOST:PORT and cloudwatch, repeatable', () => {
    expect(metricsSettingsFromFlags('produce', { metrics: ['emf:out/m.log', 'emf:-', 'prometheus:9464', 'prometheus:0.0.0.0:9465', 'cloudwatch'] })).toEqual({
      targets: [
        { kind: 'emf', path: 'out/m.log' },
        { kind: 'emf', path: '-' },
        { kind: 'prometheus', host: '127.0.0.1', port: 9464 },
        { kind: 'prometheus', host: '0.0.0.0', port: 9465 },
        { kind: 'cloudwatch' },
      ],
      intervalMs: 60_000,
      flushTimeoutMs: 10_000,
    });
    expect(metricsSettingsFromFlags('consume', { 'metrics-interval-ms': '5000', 'metrics-flush-timeout-ms': '2500' })).toEqual({ targets: [], intervalMs: 5000, flushTimeoutMs: 2500 });
  });

  it.each([['emf:'], ['prometheus:'], ['prometheus:99999'], ['statsd'], ['CloudWatch']])('rejects --metrics %s naming the flag', (value) => {
    expect(() => metricsSettingsFromFlags('produce', { metrics: [value] })).toThrow(CliError);
    expect(() => metricsSettingsFromFlags('produce', { metrics: [value] })).toThrow(/^--metrics: expected emf:PATH, prometheus:PORT or cloudwatch, got /);
  });

  it('rejects an interval that is not an integer of at least 10 ms', () => {
    expect(() => metricsSettingsFromFlags('produce', { 'metrics-interval-ms': '5' })).toThrow(/^--metrics-interval-ms: expected an integer ≥ 10, got "5"/);
  });

  it.each([['-1'], ['1.5'], ['soon']])('rejects --metrics-flush-timeout-ms %s naming the flag', (value) => {
    expect(() => metricsSettingsFromFlags('produce', { 'metrics-flush-timeout-ms': value })).toThrow(`--metrics-flush-timeout-ms: expected an integer ≥ 0, got ${JSON.stringify(value)}`);
  });

  it('computes nothing without --metrics: no recorder', async () => {
    const metrics = await startCliMetrics({ targets: [], intervalMs: 60_000 }, { cwd: '/', stdout: process.stdout, region: undefined, env: {}, logger: undefined as never });
    expect(metrics.recorder).toBeUndefined();
    await metrics.close();
  });
});
