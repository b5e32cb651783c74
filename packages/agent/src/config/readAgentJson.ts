import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { InvalidArgumentError, REDACTED, rejectUnknownOptions, requireArray, requireInteger, requireObject, requireOneOf, requireString, requireUrl } from '@kinesis-toolkit/core';
import { AgentError } from '../errors/AgentError';
import { FLOW_DEFAULTS, FLOW_KEYS_ALL, GENERAL_DEFAULTS, GENERAL_KEYS, type KeyHandling } from './agentKeys';
import { resolveMetricsSettings, type AgentMetricsSettings } from './metricsSettings';
import { resolveProduceOptions, type ProduceOptions, type ResolvedProduceOptions } from './ProduceOptions';

/** The general settings of an agent.json, resolved. */
export interface AgentSettings {
  /** Absolute path of the checkpoint file. */
  readonly checkpointFile: string;
  readonly shutdownTimeoutMs: number;
  /** URLs (a bare host name gets `https://`). */
  readonly kinesisEndpoint: string | undefined;
  readonly firehoseEndpoint: string | undefined;
  readonly stsEndpoint: string | undefined;
  /** `kinesis.region`, else the region in a `*.REGION.amazonaws.com` endpoint, else the SDK's chain. */
  readonly kinesisRegion: string | undefined;
  readonly firehoseRegion: string | undefined;
  /** `assumeRoleARN` (+ `assumeRoleExternalId`): the clients use that role's credentials. */
  readonly assumeRole: { readonly roleArn: string; readonly externalId: string | undefined } | undefined;
  /** `awsAccessKeyId` + `awsSecretAccessKey`: they take precedence over every other credential source. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  /** `cloudwatch.*` and `log.emitMetrics`. */
  readonly metrics: AgentMetricsSettings;
}

/** One flow of agent.json, resolved. */
export interface AgentFlow {
  /** The agent's flow id: `kinesis:STREAM:PATTERN` or `fh:DELIVERY_STREAM:PATTERN`; it keys the flow's checkpoints. */
  readonly id: string;
  readonly options: ResolvedProduceOptions;
}

/** Everything an agent.json says. */
export interface AgentJson {
  readonly path: string;
  readonly settings: AgentSettings;
  readonly flows: readonly AgentFlow[];
  /** One line per key that is accepted but has no effect here, with why. */
  readonly notices: readonly string[];
}

/** produce-option name → the agent.json key, for messages. */
const AGENT_NAME_OF: Readonly<Record<string, string>> = {
  files: 'filePattern',
  streamName: 'kinesisStream',
  deliveryStreamName: 'deliveryStream',
  partitionKey: 'partitionKeyOption',
  recordMaxBufferedTimeMs: 'maxBufferAgeMillis',
  maxBufferRecords: 'maxBufferSizeRecords',
  maxBufferBytes: 'maxBufferSizeBytes',
  pollIntervalMs: 'minTimeBetweenFilePollsMillis',
  retryBaseDelayMs: 'retryInitialBackoffMillis',
  retryMaxDelayMs: 'retryMaxBackoffMillis',
};

/** Records the agent never gives up on: 24 hours, Firehose's own longest retry duration. */
export const AGENT_RECORD_TTL_MS = 86_400_000;

/**
 * Reads an agent.json as the Kinesis Agent reads it: every documented general and flow key with
 * the agent's defaults and ranges, several flows, Kinesis streams and Firehose delivery streams.
 * An unknown key is an error that names it (with the closest known key); a known key this agent
 * cannot honour is an error that says why; a known key with no effect here (thread pools,
 * the Java HTTP client) is accepted and listed in `notices`.
 * @param cwd - relative paths (the checkpoint file, file patterns) are taken from here.
 * @throws AgentError `InvalidAgentConfig`, its message starting with the file and the key.
 */
export async function readAgentJson(path: string, cwd: string = process.cwd()): Promise<AgentJson> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalid(path, code === 'ENOENT' ? 'no such file' : (error as Error).message, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(path, `not JSON (${(error as Error).message})`, error);
  }
  try {
    return parseAgentJson(path, parsed, cwd);
  } catch (error) {
    if (error instanceof InvalidArgumentError || error instanceof TypeError) throw invalid(path, error.message, error);
    throw error;
  }
}

/** {@link readAgentJson} on a parsed document. @throws InvalidArgumentError naming the key. */
export function parseAgentJson(path: string, document: unknown, cwd: string = process.cwd()): AgentJson {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new InvalidArgumentError('agent.json', 'a JSON object like {"flows": [{"filePattern": "/var/log/app.log*", "kinesisStream": "app"}]}', document);
  }
  const top = document as Record<string, unknown>;
  const notices: string[] = [];
  checkKeys('', top, GENERAL_KEYS, notices);
  const settings = resolveSettings(top, cwd);
  const flows = requireArray('flows', top.flows ?? [], (_name, flow) => flow).map((flow, index) => resolveFlow(`flows[${index}]`, flow, notices, cwd));
  if (flows.length === 0) throw new InvalidArgumentError('flows', 'at least one flow like {"filePattern": "/var/log/app.log*", "kinesisStream": "app"}', top.flows);
  const seen = new Set<string>();
  for (const flow of flows) {
    if (seen.has(flow.id)) throw new InvalidArgumentError('flows', `flows that differ (the agent rejects a duplicate flow); ${flow.id} appears twice`, flow.id);
    seen.add(flow.id);
  }
  return { path, settings, flows, notices };
}

function checkKeys(scope: string, object: Record<string, unknown>, table: Readonly<Record<string, KeyHandling>>, notices: string[]): void {
  // Secrets are never echoed, even under a misspelled key.
  const shown = Object.fromEntries(Object.entries(object).map(([key, value]) => [key, /secret|password|token|accesskey/i.test(key) ? REDACTED : value]));
  rejectUnknownOptions(scope, shown, Object.keys(table));
  for (const key of Object.keys(object)) {
    const handling = table[key]!;
    const name = scope === '' ? key : `${scope}.${key}`;
    if (handling.kind === 'unsupported') {
      throw new InvalidArgumentError(name, `not set — a Kinesis Agent key this agent does not support: ${handling.why}`, shown[key]);
    }
    if (handling.kind === 'noEffect') notices.push(`${name} is accepted but has no effect: ${handling.why}`);
  }
}

function resolveSettings(top: Record<string, unknown>, cwd: string): AgentSettings {
  const endpoint = (key: string): string | undefined => {
    const value = top[key];
    // The agent treats an empty endpoint as none (the documentation's examples write "").
    if (value === undefined || value === '') return undefined;
    const text = requireString(key, value);
    return requireUrl(key, /^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
  };
  const kinesisEndpoint = endpoint('kinesis.endpoint');
  const firehoseEndpoint = endpoint('firehose.endpoint');
  const stsEndpoint = endpoint('sts.endpoint');
  const accessKeyId = top.awsAccessKeyId;
  const secretAccessKey = top.awsSecretAccessKey;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new InvalidArgumentError(accessKeyId === undefined ? 'awsAccessKeyId' : 'awsSecretAccessKey', 'set together with its pair (awsAccessKeyId and awsSecretAccessKey)', REDACTED);
  }
  const roleArn = top.assumeRoleARN === undefined ? undefined : requireString('assumeRoleARN', top.assumeRoleARN, { pattern: /^arn:aws[\w-]*:iam::\d{12}:role\/.+$/ });
  const externalId = top.assumeRoleExternalId === undefined ? undefined : requireString('assumeRoleExternalId', top.assumeRoleExternalId, { minLength: 2, maxLength: 1224 });
  if (externalId !== undefined && roleArn === undefined) throw new InvalidArgumentError('assumeRoleExternalId', 'used with assumeRoleARN', externalId);
  const kinesisRegion = top['kinesis.region'] === undefined ? regionOf(kinesisEndpoint) : requireString('kinesis.region', top['kinesis.region'], { pattern: /^[a-z]{2}(-[a-z]+)+-\d+$/ });
  const checkpointFile = requireString('checkpointFile', top.checkpointFile ?? GENERAL_DEFAULTS.checkpointFile);
  return {
    checkpointFile: isAbsolute(checkpointFile) ? checkpointFile : resolvePath(cwd, checkpointFile),
    shutdownTimeoutMs: requireInteger('shutdownTimeoutMillis', top.shutdownTimeoutMillis ?? GENERAL_DEFAULTS.shutdownTimeoutMillis, 0, 2 ** 31 - 1),
    kinesisEndpoint,
    firehoseEndpoint,
    stsEndpoint,
    kinesisRegion,
    firehoseRegion: regionOf(firehoseEndpoint) ?? kinesisRegion,
    assumeRole: roleArn === undefined ? undefined : { roleArn, externalId },
    credentials:
      accessKeyId === undefined ? undefined : { accessKeyId: requireString('awsAccessKeyId', accessKeyId), secretAccessKey: requireString('awsSecretAccessKey', secretAccessKey) },
    metrics: resolveMetricsSettings(top, endpoint, regionOf, kinesisRegion),
  };
}

/** `firehose.eu-west-1.amazonaws.com` → `eu-west-1`. */
function regionOf(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  return /^[a-z0-9-]+\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/.exec(new URL(endpoint).hostname)?.[1];
}

function resolveFlow(scope: string, value: unknown, notices: string[], cwd: string): AgentFlow {
  const flow = requireObject(scope, value) as Record<string, unknown>;
  checkKeys(scope, flow, FLOW_KEYS_ALL, notices);
  const name = (key: string) => `${scope}.${key}`;
  const filePattern = requireString(name('filePattern'), flow.filePattern);
  const kinesisStream = flow.kinesisStream;
  const deliveryStream = flow.deliveryStream;
  if ((kinesisStream === undefined) === (deliveryStream === undefined)) {
    throw new InvalidArgumentError(scope, 'exactly one destination: kinesisStream or deliveryStream', kinesisStream ?? deliveryStream ?? '(neither)');
  }
  const firehose = deliveryStream !== undefined;
  if (firehose && flow.partitionKeyOption !== undefined) throw new InvalidArgumentError(name('partitionKeyOption'), 'not set for a deliveryStream (Firehose records have no partition key)', flow.partitionKeyOption);
  const [ageMin, ageMax] = FLOW_DEFAULTS.maxBufferAgeMillisRange;
  const [recordsMin, recordsMax] = FLOW_DEFAULTS.maxBufferSizeRecordsRange;
  const maxBytes = firehose ? FLOW_DEFAULTS.firehoseMaxBufferSizeBytes : FLOW_DEFAULTS.kinesisMaxBufferSizeBytes;
  const options: ProduceOptions = {
    ...(firehose ? { deliveryStreamName: requireString(name('deliveryStream'), deliveryStream) } : { streamName: requireString(name('kinesisStream'), kinesisStream) }),
    files: [isAbsolute(filePattern) ? filePattern : resolvePath(cwd, filePattern)],
    partitionKey: firehose ? undefined : requireOneOf(name('partitionKeyOption'), flow.partitionKeyOption ?? FLOW_DEFAULTS.partitionKeyOption, ['RANDOM', 'DETERMINISTIC']),
    initialPosition: requireOneOf(name('initialPosition'), flow.initialPosition ?? FLOW_DEFAULTS.initialPosition, ['START_OF_FILE', 'END_OF_FILE'] as const),
    recordMaxBufferedTimeMs: requireInteger(name('maxBufferAgeMillis'), flow.maxBufferAgeMillis ?? FLOW_DEFAULTS.maxBufferAgeMillis, ageMin, ageMax),
    maxBufferRecords: requireInteger(name('maxBufferSizeRecords'), flow.maxBufferSizeRecords ?? FLOW_DEFAULTS.maxBufferSizeRecords, recordsMin, recordsMax),
    maxBufferBytes: requireInteger(name('maxBufferSizeBytes'), flow.maxBufferSizeBytes ?? maxBytes, 1, maxBytes),
    pollIntervalMs: requireInteger(name('minTimeBetweenFilePollsMillis'), flow.minTimeBetweenFilePollsMillis ?? FLOW_DEFAULTS.minTimeBetweenFilePollsMillis, 1, 3_600_000),
    skipHeaderLines: requireInteger(name('skipHeaderLines'), flow.skipHeaderLines ?? FLOW_DEFAULTS.skipHeaderLines, 0, 1_000_000),
    aggregatedRecordSizeBytes: aggregatedRecordSizeBytes(name('aggregatedRecordSizeBytes'), flow.aggregatedRecordSizeBytes, firehose, notices),
    retryBaseDelayMs: requireInteger(name('retryInitialBackoffMillis'), flow.retryInitialBackoffMillis ?? FLOW_DEFAULTS.retryInitialBackoffMillis, 1, 3_600_000),
    retryMaxDelayMs: requireInteger(name('retryMaxBackoffMillis'), flow.retryMaxBackoffMillis ?? FLOW_DEFAULTS.retryMaxBackoffMillis, 1, 3_600_000),
    truncatedRecordTerminator: flow.truncatedRecordTerminator === undefined ? undefined : requireString(name('truncatedRecordTerminator'), flow.truncatedRecordTerminator),
    multiLineStartPattern: flow.multiLineStartPattern === undefined || flow.multiLineStartPattern === '' ? undefined : requireString(name('multiLineStartPattern'), flow.multiLineStartPattern),
    // The agent treats an empty pattern as none (Strings.isNullOrEmpty), as for multiLineStartPattern.
    fileFooterPattern: flow.fileFooterPattern === undefined || flow.fileFooterPattern === '' ? undefined : requireString(name('fileFooterPattern'), flow.fileFooterPattern),
    dataProcessingOptions: flow.dataProcessingOptions === undefined ? undefined : (requireArray(name('dataProcessingOptions'), flow.dataProcessingOptions, (_name, option) => option) as ProduceOptions['dataProcessingOptions']),
    recordTtlMs: AGENT_RECORD_TTL_MS,
  };
  let resolved: ResolvedProduceOptions;
  try {
    resolved = resolveProduceOptions(options);
  } catch (error) {
    // Name the agent.json key, not the option it became.
    const message = (error as Error).message.replace(/^([A-Za-z]+)/, (option: string) => `${scope}.${AGENT_NAME_OF[option] ?? option}`);
    throw new TypeError(message);
  }
  const id = firehose ? `fh:${String(deliveryStream)}:${filePattern}` : `kinesis:${String(kinesisStream)}:${filePattern}`;
  return { id, options: resolved };
}

/**
 * The Java agent joins lines for Firehose flows only (`FirehoseFileFlow`); a Kinesis flow ignores
 * the key there, so here it is accepted with a notice (the KPL aggregates stream records anyway).
 */
function aggregatedRecordSizeBytes(name: string, value: unknown, firehose: boolean, notices: string[]): number {
  const [min, max] = FLOW_DEFAULTS.aggregatedRecordSizeBytesRange;
  const bytes = requireInteger(name, value ?? FLOW_DEFAULTS.aggregatedRecordSizeBytes, min, max);
  if (firehose || bytes === 0) return bytes;
  notices.push(`${name} is accepted but has no effect on a kinesisStream flow: the Java agent joins records for deliveryStream flows only, and the KPL aggregates stream records`);
  return 0;
}

function invalid(path: string, why: string, cause: unknown): AgentError {
  return new AgentError('InvalidAgentConfig', `${path}: ${why}`, { cause, context: { configFile: path } });
}
