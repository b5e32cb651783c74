import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { EmfSink, MetricsRecorder, OpenTelemetrySink, SDK_CLIENT_DEFAULTS, type Logger, type MetricsSink } from '@kinesis-toolkit/core';
import { CloudWatchMetricsSink } from '@kinesis-toolkit/metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { CliError } from '../CliError';
import { stringFlag, stringsFlag, type ParsedFlags } from '../parseFlags';

/** The metrics flags of `produce`, `consume` and `demo`. */
export const METRICS_FLAGS = {
  metrics: { type: 'string', multiple: true },
  'metrics-interval-ms': { type: 'string' },
} as const;

/** Help text for {@link METRICS_FLAGS}. */
export const METRICS_FLAGS_USAGE = `Metrics (the KPL's, KCL's, connector's and agent's names; repeatable):
  --metrics emf:PATH       CloudWatch Embedded Metric Format lines appended to PATH ("-": stdout),
                           one aggregate per metric and interval
  --metrics prometheus:PORT  serve them at http://127.0.0.1:PORT/metrics (OpenTelemetry's
                           Prometheus exporter; prometheus:HOST:PORT to listen elsewhere)
  --metrics cloudwatch     PutMetricData to CloudWatch (region and credentials as the other
                           clients; AWS_ENDPOINT_URL_CLOUDWATCH to send elsewhere)
  --metrics-interval-ms N  aggregation interval of emf and cloudwatch (default 60000)`;

/** One `--metrics` target. */
export type MetricsTarget = { readonly kind: 'emf'; readonly path: string } | { readonly kind: 'prometheus'; readonly host: string; readonly port: number } | { readonly kind: 'cloudwatch' };

/** What the metrics flags ask for. */
export interface MetricsSettings {
  readonly targets: readonly MetricsTarget[];
  readonly intervalMs: number;
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
  return { targets, intervalMs };
}

/** The running metrics of a command: the recorder to hand the producer / worker, and its shutdown. */
export interface CliMetrics {
  /** Undefined without `--metrics`: nothing is computed. */
  readonly recorder: MetricsRecorder | undefined;
  /** Where the Prometheus exporters listen (`http://HOST:PORT/metrics`). */
  readonly prometheusUrls: readonly string[];
  /** Publishes the last interval, stops the exporters, closes the files. */
  close(): Promise<void>;
}

/** What the sinks need from the command. */
export interface CliMetricsContext {
  readonly cwd: string;
  readonly stdout: Writable;
  readonly region: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
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
        const client = new CloudWatchClient({
          ...SDK_CLIENT_DEFAULTS,
          ...(context.region !== undefined ? { region: context.region } : {}),
          ...(endpoint !== undefined ? { endpoint } : {}),
          requestHandler: new NodeHttpHandler(),
        });
        clients.push(client);
        sinks.push(new CloudWatchMetricsSink({ cloudWatchClient: client, logger: context.logger }));
      }
    }
  } catch (error) {
    await Promise.allSettled([...providers.map((provider) => provider.shutdown()), ...files.map(closeFile)]);
    throw error;
  }
  const recorder = new MetricsRecorder({ sinks, intervalMs: settings.intervalMs, logger: context.logger });
  return {
    recorder,
    prometheusUrls,
    close: async () => {
      await recorder.close();
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
