import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DeadlineExceededError, EmfSink, MetricsRecorder, OpenTelemetrySink, SDK_CLIENT_DEFAULTS, SYSTEM_CLOCK, withDeadline, type Clock, type Logger, type MetricsSink } from '@kinesis-toolkit/core';
import { CloudWatchMetricsSink } from '@kinesis-toolkit/metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { LOCAL_CREDENTIALS, isLocal } from '../awsClients';
import { CliError } from '../CliError';
import { stringFlag, stringsFlag, type ParsedFlags } from '../parseFlags';

/** The metrics flags of `produce`, `consume` and `demo`. */
export const METRICS_FLAGS = {
  metrics: { type: 'string', multiple: true },
  'metrics-interval-ms': { type: 'string' },
  'metrics-flush-timeout-ms': { type: 'string' },
} as const;

/** How long the final flush at exit may take by default (`--metrics-flush-timeout-ms`). */
export const DEFAULT_METRICS_FLUSH_TIMEOUT_MS = 10_000;

/** After the flush deadline, how long the sinks get to let go of what they hold (an abort: at once). */
const LET_GO_MS = 1_000;

/** Help text for {@link METRICS_FLAGS}. */
export const METRICS_FLAGS_USAGE = `Metrics (the KPL's, KCL's, connector's and agent's names; repeatable):
  --metrics emf:PATH       CloudWatch Embedded Metric Format lines appended to PATH ("-": stdout),
                           one aggregate per metric and interval
  --metrics prometheus:PORT  serve them at http://127.0.0.1:PORT/metrics (OpenTelemetry's
                           Prometheus exporter; prometheus:HOST:PORT to listen elsewhere)
  --metrics cloudwatch     PutMetricData to CloudWatch (region and credentials as the other
                           clients; AWS_ENDPOINT_URL_CLOUDWATCH to send elsewhere)
  --metrics-interval-ms N  aggregation interval of emf and cloudwatch (default 60000)
  --metrics-flush-timeout-ms N  at exit, the last interval's publishing may take this long
                           (default 10000); what CloudWatch has not taken by then is dropped,
                           counted in one warn line, and the command exits`;

/** One `--metrics` target. */
export type MetricsTarget = { readonly kind: 'emf'; readonly path: string } | { readonly kind: 'prometheus'; readonly host: string; readonly port: number } | { readonly kind: 'cloudwatch' };

/** What the metrics flags ask for. */
export interface MetricsSettings {
  readonly targets: readonly MetricsTarget[];
  readonly intervalMs: number;
  /** The bound of the final flush at exit. @defaultValue {@link DEFAULT_METRICS_FLUSH_TIMEOUT_MS} */
  readonly flushTimeoutMs?: number;
}

/**
 * Reads `--metrics` and `--metrics-interval-ms`.
 * @throws CliError (exit code 2) naming the flag, what it takes and what came.
 */
export function metricsSettingsFromFlags(command: string, values: ParsedFlags['values']): MetricsSettings {
  const help = `Run \`kinesis-toolkit ${command} --help\` for the flags.`;
  const targets = stringsFlag(values, 'metrics').map((text): MetricsTarget => {
    if (text === 'cloudwatch') return { kind: 'cloudwatch' };
    if (text.startsWith('emf:') && text.length > 4) return { kind: 'emf', path: text.slice(4) };
    const prometheus = /^prometheus:(?:(.+):)?(\d{1,5})$/.exec(text);
    if (prometheus !== null && Number(prometheus[2]) <= 65535) return { kind: 'prometheus', host: prometheus[1] ?? '127.0.0.1', port: Number(prometheus[2]) };
    throw new CliError(`--metrics: expected emf:PATH, prometheus:PORT or cloudwatch, got ${JSON.stringify(text)}. ${help}`);
  });
  const intervalText = stringFlag(values, 'metrics-interval-ms');
  const intervalMs = intervalText === undefined ? 60_000 : Number(intervalText);
  if (!Number.isSafeInteger(intervalMs) || intervalMs < 10) throw new CliError(`--metrics-interval-ms: expected an integer ≥ 10, got ${JSON.stringify(intervalText)}. ${help}`);
  const flushText = stringFlag(values, 'metrics-flush-timeout-ms');
  const flushTimeoutMs = flushText === undefined ? DEFAULT_METRICS_FLUSH_TIMEOUT_MS : Number(flushText);
  if (!Number.isSafeInteger(flushTimeoutMs) || flushTimeoutMs < 0) throw new CliError(`--metrics-flush-timeout-ms: expected an integer ≥ 0, got ${JSON.stringify(flushText)}. ${help}`);
  return { targets, intervalMs, flushTimeoutMs };
}

/** The running metrics of a command: the recorder to hand the producer / worker, and its shutdown. */
export interface CliMetrics {
  /** Undefined without `--metrics`: nothing is computed. */
  readonly recorder: MetricsRecorder | undefined;
  /** Where the Prometheus exporters listen (`http://HOST:PORT/metrics`). */
  readonly prometheusUrls: readonly string[];
  /**
   * Publishes the last interval, stops the exporters, closes the files — within the settings'
   * `flushTimeoutMs` (+ a moment for the sinks to let go): past it, what CloudWatch has not taken is
   * dropped and counted in one line at warn.
   */
  close(): Promise<void>;
}

/** What the sinks need from the command. */
export interface CliMetricsContext {
  readonly cwd: string;
  readonly stdout: Writable;
  readonly region: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** The clock of the intervals and deadlines. @defaultValue the system clock */
  readonly clock?: Clock;
}

/**
 * Starts the sinks the flags ask for.
 * @throws CliError when a Prometheus port cannot be listened on or an EMF file cannot be opened.
 */
export async function startCliMetrics(settings: MetricsSettings, context: CliMetricsContext): Promise<CliMetrics> {
  if (settings.targets.length === 0) return { recorder: undefined, prometheusUrls: [], close: () => Promise.resolve() };
  const sinks: MetricsSink[] = [];
  const files: WriteStream[] = [];
  const providers: MeterProvider[] = [];
  const prometheusUrls: string[] = [];
  const clients: CloudWatchClient[] = [];
  const cloudWatchSinks: CloudWatchMetricsSink[] = [];
  const clock = context.clock ?? SYSTEM_CLOCK;
  // Aborted when the final flush runs past its deadline: the CloudWatch sinks drop what they hold.
  const flushExpired = new AbortController();
  try {
    for (const target of settings.targets) {
      if (target.kind === 'emf') {
        if (target.path === '-') {
          sinks.push(new EmfSink({ write: context.stdout }));
        } else {
          const file = await openAppend(resolve(context.cwd, target.path));
          files.push(file);
          sinks.push(new EmfSink({ write: file }));
        }
      } else if (target.kind === 'prometheus') {
        const exporter = await startPrometheus(target.host, target.port);
        providers.push(new MeterProvider({ readers: [exporter] }));
        sinks.push(new OpenTelemetrySink({ meterProvider: providers.at(-1)! }));
        prometheusUrls.push(`http://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}/metrics`);
      } else {
        const endpoint = context.env.AWS_ENDPOINT_URL_CLOUDWATCH;
        // A local endpoint (a stand-in) without credentials in the environment: the placeholder ones, as the other clients.
        const local = endpoint !== undefined && isLocal(endpoint) && context.env.AWS_ACCESS_KEY_ID === undefined && context.env.AWS_PROFILE === undefined;
        const client = new CloudWatchClient({
          ...SDK_CLIENT_DEFAULTS,
          ...(context.region !== undefined ? { region: context.region } : {}),
          ...(endpoint !== undefined ? { endpoint } : {}),
          ...(local ? { credentials: LOCAL_CREDENTIALS } : {}),
          requestHandler: new NodeHttpHandler(),
        });
        clients.push(client);
        cloudWatchSinks.push(new CloudWatchMetricsSink({ cloudWatchClient: client, logger: context.logger, clock, signal: flushExpired.signal }));
        sinks.push(cloudWatchSinks.at(-1)!);
      }
    }
  } catch (error) {
    await Promise.allSettled([...providers.map((provider) => provider.shutdown()), ...files.map(closeFile)]);
    throw error;
  }
  const recorder = new MetricsRecorder({ sinks, intervalMs: settings.intervalMs, logger: context.logger, clock });
  const flushTimeoutMs = settings.flushTimeoutMs ?? DEFAULT_METRICS_FLUSH_TIMEOUT_MS;
  const notSent = () => cloudWatchSinks.reduce((sum, sink) => sum + sink.failed, 0);
  return {
    recorder,
    prometheusUrls,
    close: async () => {
      const closing = recorder.close();
      try {
        await withDeadline('final metrics flush', flushTimeoutMs, () => closing, { clock });
      } catch (error) {
        if (!(error instanceof DeadlineExceededError)) throw error;
        const before = notSent();
        flushExpired.abort(new Error(`the final flush ran past --metrics-flush-timeout-ms (${flushTimeoutMs} ms)`));
        const letGo = await withDeadline('metrics sinks letting go', LET_GO_MS, () => closing, { clock }).then(
          () => true,
          () => false,
        );
        const dropped = notSent() - before;
        context.logger.warn(
          { dropped, flushTimeoutMs, ...(letGo ? {} : { sinksStillBusy: true }) },
          `metrics: the final flush did not finish within ${flushTimeoutMs} ms (--metrics-flush-timeout-ms): ${dropped} data point(s) dropped${letGo ? '' : '; a sink did not let go, exiting anyway'}`,
        );
      }
      await Promise.allSettled(providers.map((provider) => provider.shutdown()));
      for (const client of clients) client.destroy();
      await Promise.all(files.map(closeFile));
    },
  };
}

function startPrometheus(host: string, port: number): Promise<PrometheusExporter> {
  return new Promise((resolvePromise, reject) => {
    const exporter: PrometheusExporter = new PrometheusExporter({ host, port, preventServerStart: false }, (error) => {
      if (error === undefined) resolvePromise(exporter);
      else reject(new CliError(`--metrics prometheus:${port}: cannot listen on ${host}:${port} (${(error as NodeJS.ErrnoException).code ?? error.message}).`));
    });
  });
}

function openAppend(path: string): Promise<WriteStream> {
  return new Promise((resolvePromise, reject) => {
    const file = createWriteStream(path, { flags: 'a' });
    file.once('open', () => resolvePromise(file));
    file.once('error', (error: NodeJS.ErrnoException) => reject(new CliError(`--metrics emf:${path}: cannot open it (${error.code ?? error.message}).`)));
  });
}

function closeFile(file: WriteStream): Promise<void> {
  return new Promise((resolvePromise) => file.end(() => resolvePromise()));
}
