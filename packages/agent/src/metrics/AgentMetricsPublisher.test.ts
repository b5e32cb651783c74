import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ManualClock, type Logger } from '@kinesis-toolkit/core';
import type { AgentMetricsSettings } from '../config/metricsSettings';
import { AgentMetrics } from './AgentMetrics';
import { AgentMetricsPublisher } from './AgentMetricsPublisher';

// The publisher's wiring (interval, queue bound, throttled warnings, shutdown deadline) with a
// scripted stand-in for the CloudWatch client: it claims nothing about CloudWatch (the CLI's
// integration test decodes what the real client sends to LocalCloudWatch).

const SETTINGS: AgentMetricsSettings = { cloudWatch: true, cloudWatchExplicit: false, endpoint: undefined, region: undefined, intervalMs: 30_000, queueSize: 10_000, namespace: 'AWSKinesisAgent', log: false, tagInstance: false };

function recordingLogger() {
  const lines: { level: string; context: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (context: Record<string, unknown>, message: string) => void lines.push({ level, context, message });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return { logger, lines };
}

function client(answer: () => Promise<unknown>) {
  let calls = 0;
  return { calls: () => calls, client: { send: () => (calls++, answer()) } as unknown as CloudWatchClient };
}

const unavailable = () => Promise.reject(Object.assign(new Error('down'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } }));

describe('AgentMetricsPublisher (agent.json metrics; a scripted client)', () => {
  it('no sink when cloudwatch.emitMetrics and log.emitMetrics are both false: no recorder, nothing computed', async () => {
    const publisher = new AgentMetricsPublisher({ ...SETTINGS, cloudWatch: false }, { cloudWatchClient: client(() => Promise.resolve({})).client, logger: recordingLogger().logger, clock: new ManualClock() });
    expect(publisher.recorder).toBeUndefined();
    await publisher.close(1_000);
  });

  it('PutMetricData failing every interval: at most one warning per interval (retries included), every datum counted failed', async () => {
    const clock = new ManualClock();
    const { logger, lines } = recordingLogger();
    const cw = client(unavailable);
    const publisher = new AgentMetricsPublisher(SETTINGS, { cloudWatchClient: cw.client, logger, clock });
    const metrics = new AgentMetrics(publisher.recorder!, 'KinesisStream:s');
    for (let interval = 0; interval < 3; interval++) {
      metrics.sendCall({ records: 10, failed: 0, bytesSent: 100, serviceError: false });
      await clock.advance(30_000);
    }
    await clock.advance(30_000); // the last request's retries end
    expect(cw.calls()).toBe(9); // 3 requests × 3 attempts
    expect(publisher.counts).toEqual({ sent: 0, failed: 12, dropped: 0 }); // 4 metrics × 3 intervals
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(4); // one per elapsed interval at most
  });

  it('close() sends the last interval in the namespace of agent.json', async () => {
    const clock = new ManualClock();
    const sent: string[] = [];
    const cwClient = { send: (command: { input: { Namespace: string; MetricData: { MetricName: string }[] } }) => (sent.push(...command.input.MetricData.map((d) => `${command.input.Namespace}/${d.MetricName}`)), Promise.resolve({})) } as unknown as CloudWatchClient;
    const publisher = new AgentMetricsPublisher({ ...SETTINGS, namespace: 'MyAgents' }, { cloudWatchClient: cwClient, logger: recordingLogger().logger, clock });
    new AgentMetrics(publisher.recorder!, 'KinesisStream:s', 'MyAgents').sendCall({ records: 3, failed: 0, bytesSent: 30, serviceError: false });
    await publisher.close(10_000);
    expect(sent.sort()).toEqual(['MyAgents/BytesSent', 'MyAgents/RecordSendAttempts', 'MyAgents/RecordSendErrors', 'MyAgents/ServiceErrors']);
    expect(publisher.counts).toEqual({ sent: 4, failed: 0, dropped: 0 });
  });

  it('close() against a CloudWatch that never answers returns at the deadline, counts the datums failed and says so once', async () => {
    const clock = new ManualClock();
    const { logger, lines } = recordingLogger();
    const publisher = new AgentMetricsPublisher(SETTINGS, { cloudWatchClient: client(() => new Promise(() => undefined)).client, logger, clock });
    new AgentMetrics(publisher.recorder!, 'DeliveryStream:d').sendCall({ records: 1, failed: 0, bytesSent: 1, serviceError: false });
    let closed = false;
    const closing = publisher.close(5_000).then(() => (closed = true));
    await clock.advance(4_999);
    expect(closed).toBe(false);
    await clock.advance(1);
    await closing;
    expect(publisher.counts.failed).toBe(4);
    expect(lines.filter((line) => line.level === 'warn' && line.message.startsWith('CloudWatch metrics: 4 datum(s) not delivered'))).toHaveLength(1);
  });

  it('cloudwatch.metricsQueueSize bounds the queue: datums past it are dropped and counted', async () => {
    const clock = new ManualClock();
    const publisher = new AgentMetricsPublisher({ ...SETTINGS, queueSize: 2 }, { cloudWatchClient: client(() => new Promise(() => undefined)).client, logger: recordingLogger().logger, clock });
    const metrics = new AgentMetrics(publisher.recorder!, 'KinesisStream:s');
    metrics.sendCall({ records: 1, failed: 0, bytesSent: 1, serviceError: false });
    await clock.advance(30_000); // 4 datums, room for 2 (they go into the request, which never ends), 2 dropped
    expect(publisher.counts.dropped).toBe(2);
    metrics.sendCall({ records: 1, failed: 0, bytesSent: 1, serviceError: false });
    await clock.advance(30_000); // 4 more: 2 wait in the queue, 2 dropped
    expect(publisher.counts.dropped).toBe(4);
  });

  it('log.emitMetrics: each interval as one debug line', async () => {
    const clock = new ManualClock();
    const { logger, lines } = recordingLogger();
    const publisher = new AgentMetricsPublisher({ ...SETTINGS, cloudWatch: false, log: true }, { cloudWatchClient: client(() => Promise.resolve({})).client, logger, clock });
    new AgentMetrics(publisher.recorder!, 'KinesisStream:s').sendCall({ records: 7, failed: 0, bytesSent: 70, serviceError: false });
    await clock.advance(30_000);
    const debug = lines.filter((line) => line.level === 'debug');
    expect(debug).toHaveLength(1);
    expect(debug[0]!.context.metrics).toEqual(expect.arrayContaining([{ namespace: 'AWSKinesisAgent', name: 'RecordSendAttempts', dimensions: { Destination: 'KinesisStream:s' }, unit: 'Count', count: 1, sum: 7 }]));
    await publisher.close(1_000);
  });
});
