import { CliError } from '../CliError';
import { parsePipelineConfig } from './pipelineConfig';

const base = { stream: 'clicks', application: 'clicks-app', emitter: { type: 's3', bucket: 'b' } };

function errorOf(raw: unknown): string {
  try {
    parsePipelineConfig(raw, 'p.json');
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as CliError).message;
  }
  throw new Error('expected a CliError');
}

describe('parsePipelineConfig', () => {
  it('fills the defaults of a minimal config', () => {
    expect(parsePipelineConfig(base, 'p.json')).toEqual({
      stream: 'clicks',
      application: 'clicks-app',
      initialPosition: 'LATEST',
      workerId: undefined,
      transformer: 'json',
      buffer: {},
      retry: {},
      emitter: { type: 's3', options: { bucket: 'b' } },
      failures: undefined,
    });
  });

  it('takes every documented key', () => {
    const config = parsePipelineConfig(
      {
        ...base,
        initialPosition: { timestamp: '2024-05-01T12:00:00Z' },
        workerId: 'w1',
        transformer: 'passthrough',
        buffer: { maxRecords: 10, maxBytes: 1000, maxAgeMs: 500 },
        retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
        emitter: { type: 'file', path: 'out.jsonl', encoding: 'base64', includePosition: true },
        failures: { bucket: 'errors', errorPrefix: 'failed/' },
      },
      'p.json',
    );
    expect(config.initialPosition).toEqual({ timestamp: new Date('2024-05-01T12:00:00Z') });
    expect(config.buffer).toEqual({ maxRecords: 10, maxBytes: 1000, maxAgeMs: 500 });
    expect(config.emitter).toEqual({ type: 'file', options: { path: 'out.jsonl', encoding: 'base64', includePosition: true } });
    expect(config.failures).toEqual({ bucket: 'errors', errorPrefix: 'failed/' });
  });

  it.each([
    [[], 'p.json must be a JSON object, got [].'],
    [{ ...base, strem: 'x' }, 'p.json: unknown key "strem" — expected one of stream, application, initialPosition, workerId, transformer, buffer, retry, emitter, failures.'],
    [{ ...base, stream: 3 }, 'p.json: stream must be a non-empty string, got 3.'],
    [{ ...base, application: undefined }, 'p.json: application must be a non-empty string, got nothing.'],
    [{ ...base, emitter: { type: 'kafka' } }, 'p.json: emitter.type must be "s3" | "dynamodb" | "postgres" | "http" | "stdout" | "file", got "kafka".'],
    [{ ...base, emitter: { type: 's3' } }, 'p.json: emitter.bucket is required.'],
    [{ ...base, emitter: { type: 's3', bucket: 'b', bukcet: 'c' } }, 'p.json: unknown key "emitter.bukcet" — expected one of emitter.type, emitter.bucket, emitter.prefix, emitter.recordDelimiter, emitter.compression, emitter.fileExtension, emitter.contentType.'],
    [{ ...base, emitter: { type: 'postgres', connectionString: 'postgres://u:secret@h/db', table: 't', columns: ['a'] } }, 'p.json: unknown key "emitter.connectionString" — expected one of emitter.type, emitter.connectionStringEnv, emitter.table, emitter.schema, emitter.columns.'],
    [{ ...base, emitter: { type: 'dynamodb', tableName: 't', keyAttributes: [] } }, 'p.json: emitter.keyAttributes must be a non-empty array of strings, got [].'],
    [{ ...base, emitter: { type: 'dynamodb', tableName: 't' }, transformer: 'passthrough' }, 'p.json: transformer: the dynamodb emitter writes JSON objects as rows/items; use "json", got "passthrough".'],
    [{ ...base, buffer: { maxRecords: '10' } }, 'p.json: buffer.maxRecords must be an integer ≥ 0, got "10".'],
    [{ ...base, buffer: { maxItems: 10 } }, 'p.json: unknown key "buffer.maxItems" — expected one of buffer.maxRecords, buffer.maxBytes, buffer.maxAgeMs.'],
    [{ ...base, initialPosition: 'OLDEST' }, 'p.json: initialPosition must be "TRIM_HORIZON", "LATEST" or { "timestamp": "ISO 8601" }, got "OLDEST".'],
    [{ ...base, transformer: 'xml' }, 'p.json: transformer must be "json" or "passthrough", got "xml".'],
    [{ ...base, emitter: { type: 'http', url: 'http://x', commonAttributes: { a: 1 } } }, 'p.json: emitter.commonAttributes.a must be a string, got 1.'],
    [{ ...base, failures: { bucket: 'b', prefix: 'x' } }, 'p.json: unknown key "failures.prefix" — expected one of failures.bucket, failures.errorPrefix.'],
  ])('rejects %j on one line naming the key', (raw, message) => {
    expect(errorOf(raw)).toBe(message);
  });
});
