// The README's option tables must match the DEFAULTS objects (the repo-level test/readme.test.ts
// may take this over; it is kept here so the connector's own run checks it).
import { join } from 'node:path';
import { readMarkdownTable } from '../../../test/markdownTable';
import { BUFFER_DEFAULTS } from '../src/buffers/BufferOptions';
import { PIPELINE_DEFAULTS } from '../src/pipeline/PipelineOptions';
import { FIREHOSE_S3_EMITTER_DEFAULTS } from '../src/emitters/firehose/FirehoseS3EmitterOptions';
import { OPENSEARCH_EMITTER_DEFAULTS } from '../src/emitters/opensearch/OpenSearchEmitterOptions';
import { OPENSEARCH_SIGNING_DEFAULTS } from '../src/emitters/opensearch/OpenSearchSigning';
import { S3_FAILURE_SINK_DEFAULTS } from '../src/emitters/s3/S3FailureSink';

const readme = join(__dirname, '..', 'README.md');
const described: Record<string, string> = { credentials: "the AWS SDK's default provider chain", logger: 'no-op', clock: 'system clock', random: 'Math.random', wallClock: 'Date.now', currentTimeMs: 'Date.now', prefix: '(empty)' };
const documented = (heading: string) => Object.fromEntries(readMarkdownTable(readme, heading).map((row) => [row.option, row.default]));
const expected = (defaults: object) =>
  Object.fromEntries(Object.entries(defaults).map(([key, value]) => [key, described[key] ?? (typeof value === 'object' ? JSON.stringify(value) : String(value))]));

describe('connector README option tables', () => {
  it('Pipeline options match PIPELINE_DEFAULTS', () => {
    expect(documented('Pipeline options')).toEqual(expected(PIPELINE_DEFAULTS));
  });

  it('FirehoseS3Emitter options match FIREHOSE_S3_EMITTER_DEFAULTS', () => {
    expect(documented('FirehoseS3Emitter options')).toEqual(expected(FIREHOSE_S3_EMITTER_DEFAULTS));
  });

  it('OpenSearchEmitter options match OPENSEARCH_EMITTER_DEFAULTS', () => {
    expect(documented('OpenSearchEmitter options')).toEqual(expected(OPENSEARCH_EMITTER_DEFAULTS));
  });

  it('OpenSearchEmitter signing options match OPENSEARCH_SIGNING_DEFAULTS', () => {
    expect(documented('OpenSearchEmitter signing options')).toEqual(expected(OPENSEARCH_SIGNING_DEFAULTS));
  });

  it('S3FailureSink options match S3_FAILURE_SINK_DEFAULTS', () => {
    expect(documented('S3FailureSink options')).toEqual(expected(S3_FAILURE_SINK_DEFAULTS));
  });

  it('Buffer options match BUFFER_DEFAULTS', () => {
    expect(documented('Buffer options')).toEqual(expected(BUFFER_DEFAULTS));
  });
});
