import { KPL_METRICS, ManualClock, type Logger } from '@kinesis-toolkit/core';
import { LocalCloudWatch } from '@kinesis-toolkit/testing';
import { startCliMetrics } from './cliMetrics';

// --metrics cloudwatch through the real @aws-sdk/client-cloudwatch to LocalCloudWatch (a local
// PutMetricData endpoint, not CloudWatch) made to hang: the final flush at exit is bounded by
// --metrics-flush-timeout-ms on an injected clock, and what was not sent is counted in one line.

/** A logger that keeps its lines. */
function recordingLogger(): Logger & { lines: { level: string; context: Record<string, unknown>; message: string }[] } {
  const lines: { level: string; context: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (context: Record<string, unknown>, message: string) => void lines.push({ level, context, message });
  const logger = { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

let cloudWatch: LocalCloudWatch;
beforeEach(async () => (cloudWatch = await LocalCloudWatch.start()));
afterEach(() => cloudWatch.stop());

async function cloudWatchMetrics(clock: ManualClock, flushTimeoutMs: number | undefined) {
  const logger = recordingLogger();
  const metrics = await startCliMetrics(
    { targets: [{ kind: 'cloudwatch' }], intervalMs: 60_000, ...(flushTimeoutMs !== undefined ? { flushTimeoutMs } : {}) },
    { cwd: '/', stdout: process.stdout, region: 'us-east-1', env: { AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatch.endpoint }, logger, clock },
  );
  const kpl = metrics.recorder!.namespace('KinesisProducerLibrary', { dimensionSets: () => [['StreamName']] });
  for (const stream of ['a', 'b', 'c']) kpl.series(KPL_METRICS.UserRecordsPut, [{ name: 'StreamName', value: stream }])!.record(1);
  return { logger, metrics };
}

describe('startCliMetrics: the final flush at exit is bounded (LocalCloudWatch, not CloudWatch)', () => {
  it('a CloudWatch endpoint that never answers: close() returns at --metrics-flush-timeout-ms, the datums not sent counted in one warn line', async () => {
    const clock = new ManualClock();
    cloudWatch.hold();
    const { logger, metrics } = await cloudWatchMetrics(clock, 5_000);
    let closed = false;
    const closing = metrics.close().then(() => (closed = true));
    await clock.advance(4_999);
    expect(closed).toBe(false);
    await clock.advance(1);
    await closing;
    const line = logger.lines.find((l) => l.message.startsWith('metrics: the final flush did not finish'));
    expect(line).toMatchObject({ level: 'warn', context: { dropped: 3, flushTimeoutMs: 5_000 } });
    expect(line!.message).toBe('metrics: the final flush did not finish within 5000 ms (--metrics-flush-timeout-ms): 3 data point(s) dropped');
    expect(cloudWatch.requests).toEqual([]);
  });

  it('defaults to 10000 ms', async () => {
    const clock = new ManualClock();
    cloudWatch.hold();
    const { logger, metrics } = await cloudWatchMetrics(clock, undefined);
    let closed = false;
    const closing = metrics.close().then(() => (closed = true));
    await clock.advance(9_999);
    expect(closed).toBe(false);
    await clock.advance(1);
    await closing;
    expect(logger.lines.filter((l) => l.message.startsWith('metrics: the final flush did not finish')).map((l) => l.context['dropped'])).toEqual([3]);
  });

  it('an endpoint that answers: everything is sent within the bound and nothing is reported dropped', async () => {
    const clock = new ManualClock();
    const { logger, metrics } = await cloudWatchMetrics(clock, 5_000);
    await metrics.close();
    expect(cloudWatch.datums('KinesisProducerLibrary')).toHaveLength(3);
    expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });
});
