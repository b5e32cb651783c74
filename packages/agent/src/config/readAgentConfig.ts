import { readFile } from 'node:fs/promises';
import { requireUrl } from '@kinesis-toolkit/core';
import type { ProduceOptions } from './ProduceOptions';

/** What a config file sets: the options of its one flow, and the endpoint. */
export interface AgentConfig {
  readonly options: ProduceOptions;
  /** The agent's `kinesis.endpoint`, as a URL (a bare host name gets `https://`). */
  readonly kinesisEndpoint: string | undefined;
}

// Keys of the Java agent's agent.json we take, and what they become.
const TOP_LEVEL = ['kinesis.endpoint', 'checkpointFile', 'flows'];
export const FLOW_KEYS: Readonly<Record<string, keyof ProduceOptions>> = {
  filePattern: 'files',
  kinesisStream: 'streamName',
  partitionKeyOption: 'partitionKey',
  dataProcessingOptions: 'dataProcessingOptions',
  multiLineStartPattern: 'multiLineStartPattern',
  fileFooterPattern: 'fileFooterPattern',
  aggregatedRecordSizeBytes: 'aggregatedRecordSizeBytes',
  skipHeaderLines: 'skipHeaderLines',
  truncatedRecordTerminator: 'truncatedRecordTerminator',
  initialPosition: 'initialPosition',
  maxBufferAgeMillis: 'recordMaxBufferedTimeMs',
  minTimeBetweenFilePollsMillis: 'pollIntervalMs',
};
const SECRETS = new Set(['awsAccessKeyId', 'awsSecretAccessKey', 'awsSessionToken']);

/**
 * Reads a config file in the shape of the Kinesis Agent's `agent.json` — top-level
 * `kinesis.endpoint` and `checkpointFile`, and one entry in `flows` with `filePattern`,
 * `kinesisStream`, `partitionKeyOption`, `dataProcessingOptions`, `multiLineStartPattern`,
 * `fileFooterPattern` (empty: none, as the agent reads it), `aggregatedRecordSizeBytes`,
 * `skipHeaderLines`, `truncatedRecordTerminator`, `initialPosition`, `maxBufferAgeMillis`,
 * `minTimeBetweenFilePollsMillis`. Unknown keys are errors, not ignored: a setting that
 * silently does nothing is worse than one that stops the start. Values are checked later, by
 * `resolveProduceOptions` — which refuses an `aggregatedRecordSizeBytes` above 0, as this
 * form sends to a Kinesis stream only (joining records is for Firehose delivery streams).
 * @throws TypeError saying which file and key, and what to do.
 */
export async function readAgentConfig(path: string): Promise<AgentConfig> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new TypeError(`config file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const fail = (why: string): never => {
    throw new TypeError(`config file ${path}: ${why}`);
  };
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) fail('expected a JSON object like {"flows": [{"filePattern": "...", "kinesisStream": "..."}]}');
  const top = parsed as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (SECRETS.has(key)) fail(`${key} is not read from config files; give credentials through the SDK chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or a role)`);
    if (!TOP_LEVEL.includes(key)) fail(`unsupported key ${JSON.stringify(key)} (supported: ${TOP_LEVEL.join(', ')})`);
  }
  const flows = top.flows ?? [];
  if (!Array.isArray(flows) || flows.length > 1) fail('"flows" must hold one flow: run one `kinesis-toolkit produce` per flow, each with its own --checkpoint-file');
  const flow = ((flows as unknown[])[0] ?? {}) as Record<string, unknown>;
  if (typeof flow !== 'object' || flow === null || Array.isArray(flow)) fail('flows[0] must be an object');
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flow)) {
    if (SECRETS.has(key)) fail(`flows[0].${key} is not read from config files; give credentials through the SDK chain`);
    if (key === 'deliveryStream') fail('flows[0].deliveryStream: Firehose is not supported; use kinesisStream');
    const option = FLOW_KEYS[key];
    if (option === undefined) fail(`unsupported key flows[0].${key} (supported: ${Object.keys(FLOW_KEYS).join(', ')})`);
    // The agent reads an empty footer pattern as none (Strings.isNullOrEmpty), as readAgentJson does.
    if (key === 'fileFooterPattern' && value === '') continue;
    options[option!] = key === 'filePattern' ? (typeof value === 'string' ? [value] : value) : value;
  }
  if (top.checkpointFile !== undefined) options.checkpointFile = top.checkpointFile;
  const endpoint = top['kinesis.endpoint'];
  if (endpoint !== undefined && (typeof endpoint !== 'string' || endpoint === '')) fail('"kinesis.endpoint" must be a host name or URL');
  const kinesisEndpoint = typeof endpoint === 'string' ? (/^[a-z]+:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`) : undefined;
  if (kinesisEndpoint !== undefined) {
    try {
      requireUrl('kinesis.endpoint', kinesisEndpoint);
    } catch {
      fail(`"kinesis.endpoint": expected a host name or an http(s) URL, got ${JSON.stringify(endpoint)}`);
    }
  }
  return { options: options as ProduceOptions, kinesisEndpoint };
}
