import { CliError } from '../CliError';

/** The emitter types a pipeline config may name. */
export const EMITTER_TYPES = ['s3', 'dynamodb', 'postgres', 'http', 'stdout', 'file'] as const;
export type EmitterType = (typeof EMITTER_TYPES)[number];

/** A validated `consume --config` file. Secrets are referenced by environment variable name, never held in the file's echo. */
export interface PipelineConfig {
  readonly stream: string;
  readonly application: string;
  readonly initialPosition: 'TRIM_HORIZON' | 'LATEST' | { readonly timestamp: Date };
  readonly workerId: string | undefined;
  /** `json`: each record is one JSON document; `passthrough`: the bytes as they are. */
  readonly transformer: 'json' | 'passthrough';
  readonly buffer: { readonly maxRecords?: number; readonly maxBytes?: number; readonly maxAgeMs?: number };
  readonly retry: { readonly maxAttempts?: number; readonly baseDelayMs?: number; readonly maxDelayMs?: number };
  readonly emitter: { readonly type: EmitterType; readonly options: Readonly<Record<string, unknown>> };
  /** Where records that could not be transformed or emitted go (Firehose's error format). */
  readonly failures: { readonly bucket: string; readonly errorPrefix?: string } | undefined;
}

type Kind = 'string' | 'integer' | 'boolean' | 'string[]' | 'string-map';

/** The options each emitter type takes from the file, and which are required. */
const EMITTER_FIELDS: Record<EmitterType, Record<string, { kind: Kind; required?: boolean }>> = {
  s3: {
    bucket: { kind: 'string', required: true },
    prefix: { kind: 'string' },
    recordDelimiter: { kind: 'string' },
    compression: { kind: 'string' },
    fileExtension: { kind: 'string' },
    contentType: { kind: 'string' },
  },
  dynamodb: { tableName: { kind: 'string', required: true }, keyAttributes: { kind: 'string[]' } },
  postgres: {
    // The connection string usually holds a password: only the name of the variable holding it.
    connectionStringEnv: { kind: 'string', required: true },
    table: { kind: 'string', required: true },
    schema: { kind: 'string' },
    columns: { kind: 'string[]', required: true },
  },
  http: {
    url: { kind: 'string', required: true },
    accessKeyEnv: { kind: 'string' },
    commonAttributes: { kind: 'string-map' },
    compression: { kind: 'string' },
    requestTimeoutMs: { kind: 'integer' },
  },
  stdout: { encoding: { kind: 'string' }, includePosition: { kind: 'boolean' } },
  file: { path: { kind: 'string', required: true }, encoding: { kind: 'string' }, includePosition: { kind: 'boolean' } },
};

const TOP_KEYS = ['stream', 'application', 'initialPosition', 'workerId', 'transformer', 'buffer', 'retry', 'emitter', 'failures'];

/**
 * Validates a parsed `consume --config` file strictly: unknown keys and wrong types are errors,
 * each a one-line {@link CliError} naming the key (as a path, `emitter.bucket`) and what was
 * expected. The format (all keys but `stream`, `application` and `emitter` optional):
 *
 * ```json
 * { "stream": "clicks", "application": "clicks-to-s3", "initialPosition": "TRIM_HORIZON",
 *   "transformer": "json", "buffer": { "maxRecords": 500, "maxBytes": 1048576, "maxAgeMs": 60000 },
 *   "retry": { "maxAttempts": 5 }, "emitter": { "type": "s3", "bucket": "b", "prefix": "clicks/" },
 *   "failures": { "bucket": "b", "errorPrefix": "errors/" } }
 * ```
 */
export function parsePipelineConfig(raw: unknown, file: string): PipelineConfig {
  const at = (key: string) => `${file}: ${key}`;
  const top = object(raw, file, 'a JSON object');
  unknownKeys(top, TOP_KEYS, file, '');
  const stream = string(top.stream, at('stream'), true) as string;
  const application = string(top.application, at('application'), true) as string;
  // The application names the DynamoDB lease table: DynamoDB's table-name rule.
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(application)) fail(at('application'), 'a name of 3 to 255 letters, digits, _, - or . (it names the DynamoDB lease table)', application);
  const transformer = top.transformer ?? 'json';
  if (transformer !== 'json' && transformer !== 'passthrough') fail(at('transformer'), '"json" or "passthrough"', transformer);

  const emitterRaw = object(top.emitter, at('emitter'), 'an object with a "type"');
  const type = emitterRaw.type;
  if (!(EMITTER_TYPES as readonly unknown[]).includes(type)) fail(at('emitter.type'), EMITTER_TYPES.map((t) => JSON.stringify(t)).join(' | '), type);
  const fields = EMITTER_FIELDS[type as EmitterType];
  unknownKeys(emitterRaw, ['type', ...Object.keys(fields)], file, 'emitter.');
  const options: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    const value = check(emitterRaw[name], at(`emitter.${name}`), spec.kind, spec.required === true);
    if (value !== undefined) options[name] = value;
  }
  if ((type === 'postgres' || type === 'dynamodb') && transformer !== 'json') {
    throw new CliError(`${at('transformer')}: the ${String(type)} emitter writes JSON objects as rows/items; use "json", got "${transformer}".`);
  }

  return {
    stream,
    application,
    initialPosition: initialPosition(top.initialPosition, at('initialPosition')),
    workerId: string(top.workerId, at('workerId'), false),
    transformer,
    buffer: numbers(top.buffer, at('buffer'), file, 'buffer.', ['maxRecords', 'maxBytes', 'maxAgeMs']),
    retry: numbers(top.retry, at('retry'), file, 'retry.', ['maxAttempts', 'baseDelayMs', 'maxDelayMs']),
    emitter: { type: type as EmitterType, options },
    failures: failures(top.failures, file),
  };
}

function initialPosition(value: unknown, where: string): PipelineConfig['initialPosition'] {
  if (value === undefined) return 'LATEST';
  if (value === 'TRIM_HORIZON' || value === 'LATEST') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const extra = Object.keys(record).filter((key) => key !== 'timestamp');
    const timestamp = typeof record.timestamp === 'string' ? new Date(record.timestamp) : undefined;
    if (extra.length === 0 && timestamp !== undefined && !Number.isNaN(timestamp.getTime())) return { timestamp };
  }
  return fail(where, '"TRIM_HORIZON", "LATEST" or { "timestamp": "ISO 8601" }', value);
}

function failures(value: unknown, file: string): PipelineConfig['failures'] {
  if (value === undefined) return undefined;
  const record = object(value, `${file}: failures`, 'an object { "bucket", "errorPrefix"? } (an S3 failure sink)');
  unknownKeys(record, ['bucket', 'errorPrefix'], file, 'failures.');
  const bucket = string(record.bucket, `${file}: failures.bucket`, true) as string;
  const errorPrefix = string(record.errorPrefix, `${file}: failures.errorPrefix`, false);
  return errorPrefix === undefined ? { bucket } : { bucket, errorPrefix };
}

function numbers<K extends string>(value: unknown, where: string, file: string, prefix: string, keys: readonly K[]): Partial<Record<K, number>> {
  if (value === undefined) return {};
  const record = object(value, where, `an object with ${keys.join(', ')}`);
  unknownKeys(record, keys, file, prefix);
  const result: Partial<Record<K, number>> = {};
  for (const key of keys) {
    const checked = check(record[key], `${file}: ${prefix}${key}`, 'integer', false);
    if (checked !== undefined) result[key] = checked as number;
  }
  return result;
}

function check(value: unknown, where: string, kind: Kind, required: boolean): unknown {
  if (value === undefined) {
    if (required) throw new CliError(`${where} is required.`);
    return undefined;
  }
  switch (kind) {
    case 'string':
      return string(value, where, required);
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(where, 'an integer ≥ 0', value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') fail(where, 'true or false', value);
      return value;
    case 'string[]':
      if (!Array.isArray(value) || value.length === 0 || !value.every((entry) => typeof entry === 'string' && entry !== '')) fail(where, 'a non-empty array of strings', value);
      return value;
    case 'string-map': {
      const record = object(value, where, 'an object of strings');
      for (const [key, entry] of Object.entries(record)) if (typeof entry !== 'string') fail(`${where}.${key}`, 'a string', entry);
      return record;
    }
  }
}

function string(value: unknown, where: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') fail(where, 'a non-empty string', value);
  return value as string;
}

function object(value: unknown, where: string, expected: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, expected, value);
  return value as Record<string, unknown>;
}

function unknownKeys(record: Record<string, unknown>, allowed: readonly string[], file: string, prefix: string): void {
  const unknown = Object.keys(record).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new CliError(`${file}: unknown key "${prefix}${unknown}" — expected one of ${allowed.map((key) => prefix + key).join(', ')}.`);
}

function fail(where: string, expected: string, got: unknown): never {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got);
  throw new CliError(`${where} must be ${expected}, got ${shown !== undefined && shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}.`);
}
