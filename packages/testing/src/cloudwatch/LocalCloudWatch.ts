import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { formatHost } from '../net/formatHost';

/** One metric datum as the local endpoint decoded it from a `PutMetricData` request. */
export interface ReceivedMetricDatum {
  readonly metricName: string;
  readonly dimensions: readonly { readonly name: string; readonly value: string }[];
  readonly timestamp: Date | undefined;
  readonly unit: string | undefined;
  readonly value: number | undefined;
  readonly statisticValues: { readonly sampleCount: number; readonly sum: number; readonly minimum: number; readonly maximum: number } | undefined;
}

/** One `PutMetricData` request the local endpoint accepted. */
export interface ReceivedPutMetricData {
  readonly namespace: string;
  readonly metricData: readonly ReceivedMetricDatum[];
  /** `Content-Encoding` of the request (the SDK gzips bodies past its compression threshold). */
  readonly contentEncoding: string | undefined;
}

/** A scripted answer: the next requests fail with this status and error code. */
export interface ScriptedFailure {
  readonly status: number;
  readonly code: string;
}

const TARGET = 'GraniteServiceVersion20100801.';
// The documented PutMetricData limits the endpoint enforces.
const MAX_DATUMS = 1000;
const MAX_DIMENSIONS = 30;

class CloudWatchApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A local stand-in for the CloudWatch `PutMetricData` API — not CloudWatch: it decodes the requests
 * the unmodified `@aws-sdk/client-cloudwatch` sends (AWS JSON 1.0, `X-Amz-Target:
 * GraniteServiceVersion20100801.PutMetricData`, gzip when the SDK compresses the body), checks the
 * documented limits (≤ 1000 datums, ≤ 30 dimensions, a namespace not starting `AWS/`, statistic
 * sets with SampleCount > 0 and Minimum ≤ Maximum) and keeps what it accepted in `requests`.
 * Failures can be scripted (`failNext`) and answers held (`hold`), to test retries and back-pressure.
 */
export class LocalCloudWatch {
  /** The requests accepted, in order. */
  readonly requests: ReceivedPutMetricData[] = [];
  /** Requests answered with an error (scripted or invalid). */
  rejected = 0;
  readonly #failures: ScriptedFailure[] = [];
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  private constructor(
    private readonly server: Server,
    /** The endpoint URL to give the client. */
    readonly endpoint: string,
  ) {}

  /** Starts the endpoint on a free port of `host` (loopback by default). */
  static async start(options: { readonly host?: string } = {}): Promise<LocalCloudWatch> {
    const host = options.host ?? '127.0.0.1';
    const holder: { cloudWatch?: LocalCloudWatch } = {};
    const server = createServer((request, response) => void holder.cloudWatch!.#handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    holder.cloudWatch = new LocalCloudWatch(server, `http://${formatHost(host)}:${(server.address() as AddressInfo).port}`);
    return holder.cloudWatch;
  }

  /** Every datum accepted for `namespace`, over all requests. */
  datums(namespace: string): ReceivedMetricDatum[] {
    return this.requests.filter((request) => request.namespace === namespace).flatMap((request) => request.metricData);
  }

  /** The next `count` requests fail with `failure` (500 InternalServiceFault by default). */
  failNext(count: number, failure: ScriptedFailure = { status: 500, code: 'InternalServiceFault' }): void {
    for (let i = 0; i < count; i++) this.#failures.push(failure);
  }

  /** Holds every answer until `release()`. */
  hold(): void {
    this.#held ??= new Promise<void>((resolve) => (this.#release = resolve));
  }

  /** Answers the held requests, and the next ones at once. */
  release(): void {
    this.#release?.();
    this.#held = undefined;
    this.#release = undefined;
  }

  /** Stops the endpoint (releasing held requests first). */
  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown, queryError?: string) => {
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': randomUUID(),
        ...(queryError !== undefined ? { 'x-amzn-query-error': queryError } : {}),
      });
      response.end(JSON.stringify(body));
    };
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      if (this.#held !== undefined) await this.#held;
      const failure = this.#failures.shift();
      if (failure !== undefined) throw new CloudWatchApiError(failure.status, failure.code, 'scripted failure');
      const target = String(request.headers['x-amz-target'] ?? '');
      if (request.method !== 'POST' || target !== `${TARGET}PutMetricData`) {
        throw new CloudWatchApiError(400, 'InvalidAction', `expected a POST with X-Amz-Target: ${TARGET}PutMetricData (AWS JSON 1.0), got ${request.method} ${target || String(request.headers['content-type'])}`);
      }
      const encoding = request.headers['content-encoding'];
      const raw = Buffer.concat(chunks);
      let input: Record<string, unknown>;
      try {
        input = JSON.parse((encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new CloudWatchApiError(400, 'SerializationException', 'the request body is not JSON');
      }
      this.requests.push({ ...decodePutMetricData(input), contentEncoding: encoding });
      send(200, {});
    } catch (error) {
      this.rejected++;
      const apiError = error instanceof CloudWatchApiError ? error : new CloudWatchApiError(500, 'InternalServiceFault', String(error));
      send(apiError.status, { __type: `com.amazonaws.cloudwatch#${apiError.code}`, message: apiError.message }, `${apiError.code};${apiError.status >= 500 ? 'Receiver' : 'Sender'}`);
    }
  }
}

function invalid(message: string): CloudWatchApiError {
  return new CloudWatchApiError(400, 'InvalidParameterValue', message);
}

/** A PutMetricData JSON body as a checked {@link ReceivedPutMetricData} (without the encoding). */
function decodePutMetricData(input: Record<string, unknown>): Omit<ReceivedPutMetricData, 'contentEncoding'> {
  const namespace = input.Namespace;
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 255) throw invalid('Namespace: expected 1-255 characters');
  if (namespace.startsWith('AWS/')) throw invalid('Namespace: the AWS/ prefix is reserved');
  const data = input.MetricData;
  if (!Array.isArray(data) || data.length === 0 || data.length > MAX_DATUMS) throw invalid(`MetricData: expected 1-${MAX_DATUMS} datums`);
  return {
    namespace,
    metricData: data.map((entry: Record<string, unknown>, i) => {
      if (typeof entry.MetricName !== 'string' || entry.MetricName.length === 0) throw invalid(`MetricData.${i}.MetricName: expected a name`);
      const dimensions = ((entry.Dimensions ?? []) as { Name: string; Value: string }[]).map(({ Name, Value }) => ({ name: Name, value: Value }));
      if (dimensions.length > MAX_DIMENSIONS) throw invalid(`MetricData.${i}.Dimensions: at most ${MAX_DIMENSIONS}`);
      if (dimensions.some(({ name, value }) => !name || !value)) throw invalid(`MetricData.${i}.Dimensions: every dimension needs a name and a value`);
      const stats = entry.StatisticValues as Record<string, number> | undefined;
      if (stats !== undefined && (!(stats.SampleCount! > 0) || !(stats.Minimum! <= stats.Maximum!))) throw invalid(`MetricData.${i}.StatisticValues: expected SampleCount > 0 and Minimum <= Maximum`);
      if (stats === undefined && typeof entry.Value !== 'number' && !Array.isArray(entry.Values)) throw invalid(`MetricData.${i}: expected Value, Values or StatisticValues`);
      return {
        metricName: entry.MetricName,
        dimensions,
        // AWS JSON sends timestamps as epoch seconds.
        timestamp: typeof entry.Timestamp === 'number' ? new Date(entry.Timestamp * 1000) : undefined,
        unit: entry.Unit as string | undefined,
        value: entry.Value as number | undefined,
        statisticValues: stats === undefined ? undefined : { sampleCount: stats.SampleCount!, sum: stats.Sum!, minimum: stats.Minimum!, maximum: stats.Maximum! },
      };
    }),
  };
}
