/**
 * Bad input to @kinesis-toolkit/connector: pipeline options, emitters, transformers, filters,
 * buffers and failure sinks. Each is refused where it is built, with an error of the
 * KinesisToolkitError family naming the option.
 *
 * @jest-environment ./test/bad-input/support/trackingEnvironment.js
 */
import {
  createPipeline,
  DynamoDBEmitter,
  encodeCopyRow,
  FileEmitter,
  FirehoseTransformer,
  HttpEndpointEmitter,
  JsonTransformer,
  KeyPrefix,
  MappingEmitter,
  MemoryBuffer,
  PassThroughTransformer,
  PostgresEmitter,
  PredicateFilter,
  RedshiftEmitter,
  S3Emitter,
  S3FailureSink,
  StdoutEmitter,
  TeeEmitter,
  type Emitter,
} from '@kinesis-toolkit/connector';
import { ManualClock } from '@kinesis-toolkit/core';
import { expectTypedError, failOnUnhandledRejections } from './support/badInput';

failOnUnhandledRejections();

const emitter: Emitter<unknown> = { emit: async () => ({ failed: [] }) };
const awsClient = { send: async () => ({}) };
const pipeline = (overrides: object) => () => createPipeline({ transformer: new PassThroughTransformer(), emitter, ...overrides } as never);

describe('connector: createPipeline options', () => {
  it.each([
    ['emitter missing', { emitter: undefined }, 'emitter'],
    ['emitter {} (no emit())', { emitter: {} }, 'emitter'],
    ['transformer a function', { transformer: () => 1 }, 'transformer'],
    ['filter {} (no keep())', { filter: {} }, 'filter'],
    ['buffer.maxRecords -1', { buffer: { maxRecords: -1 } }, 'maxRecords'],
    ['buffer.maxAgeMs NaN', { buffer: { maxAgeMs: Number.NaN } }, 'maxAgeMs'],
    ['retry.maxAttempts 0', { retry: { maxAttempts: 0 } }, 'maxAttempts'],
    ['failureSink {} (no write())', { failureSink: {} }, 'failureSink'],
    ['random: 5', { random: 5 }, 'random'],
    ['an unknown option (emiter), with a suggestion', { emiter: emitter }, 'emitter'],
  ])('createPipeline({ %s })', async (_, overrides, field) => {
    await expectTypedError(pipeline(overrides), field);
  });

  it("the pipeline's processor factory with shardId 5", async () => {
    const factory = createPipeline({ transformer: new PassThroughTransformer(), emitter });
    await expectTypedError(() => factory(5 as never), 'shardId');
  });
});

describe('connector: emitters', () => {
  it.each([
    ['S3Emitter with client: {}', () => new S3Emitter({ client: {} as never, bucket: 'b' }), 'client'],
    ["S3Emitter with bucket ''", () => new S3Emitter({ client: awsClient as never, bucket: '' }), 'bucket'],
    ["S3Emitter with compression 'zip'", () => new S3Emitter({ client: awsClient as never, bucket: 'b', compression: 'zip' as never }), 'compression'],
    ['S3Emitter with an unknown option (buckett)', () => new S3Emitter({ client: awsClient as never, buckett: 'b' } as never), 'bucket'],
    ["DynamoDBEmitter with tableName ''", () => new DynamoDBEmitter({ client: awsClient as never, tableName: '' }), 'tableName'],
    ['DynamoDBEmitter with maxAttempts (retries are the pipeline’s: an unknown option now)', () => new DynamoDBEmitter({ client: awsClient as never, tableName: 't', maxAttempts: 0 } as never), 'maxAttempts'],
    ["PostgresEmitter with a 64-byte table name (PostgreSQL would truncate it)", () => new PostgresEmitter({ connectionString: 'postgres://u:p@127.0.0.1:1/d', table: 't'.repeat(64), columns: ['a'] }), 'table'],
    ['PostgresEmitter with a newline in a column name', () => new PostgresEmitter({ connectionString: 'postgres://u:p@127.0.0.1:1/d', table: 't', columns: ['a\nb'] }), 'columns[0]'],
    ['PostgresEmitter with columns []', () => new PostgresEmitter({ connectionString: 'postgres://u:p@127.0.0.1:1/d', table: 't', columns: [] }), 'columns'],
    ["RedshiftEmitter with iamRoleArn 'role'", () => new RedshiftEmitter({ s3Client: awsClient, bucket: 'b', executor: { query: async () => ({ rows: [] }) }, table: 't', columns: ['a'], iamRoleArn: 'role' } as never), 'iamRoleArn'],
    ["HttpEndpointEmitter with url 'notaurl'", () => new HttpEndpointEmitter({ url: 'notaurl' }), 'url'],
    ['HttpEndpointEmitter with requestTimeoutMs -1', () => new HttpEndpointEmitter({ url: 'http://127.0.0.1:1', requestTimeoutMs: -1 }), 'requestTimeoutMs'],
    ['FileEmitter with path 5', () => new FileEmitter({ path: 5 as never }), 'path'],
    ["StdoutEmitter with an unknown option (formatt)", () => new StdoutEmitter({ formatt: 'json' } as never), 'formatt'],
    ['TeeEmitter of no emitters', () => new TeeEmitter([]), 'emitters'],
    ['TeeEmitter of [{}]', () => new TeeEmitter([{} as never]), 'emitters'],
    ['MappingEmitter with a map that is not a function', () => new MappingEmitter(emitter, 'map' as never), 'map'],
  ])('%s', async (_, run, field) => {
    await expectTypedError(run, field);
  });
});

describe('connector: transformers, filters, buffers, failure sinks, key prefixes', () => {
  it.each([
    ['FirehoseTransformer of a string', () => new FirehoseTransformer('fn' as never), 'fn'],
    ['JsonTransformer with appendNewline "yes"', () => new JsonTransformer({ appendNewline: 'yes' as never }), 'appendNewline'],
    ['PredicateFilter of a string', () => new PredicateFilter('keep' as never), 'predicate'],
    ['MemoryBuffer with maxBytes 0', () => new MemoryBuffer({ maxBytes: 0 }, new ManualClock()), 'maxBytes'],
    ["S3FailureSink with bucket ''", () => new S3FailureSink({ client: awsClient as never, bucket: '' }), 'bucket'],
    ["KeyPrefix.parse of '!{unknown}'", () => KeyPrefix.parse('prefix', '!{unknown}'), 'prefix'],
    ['encodeCopyRow with 2 values for 1 column', () => encodeCopyRow([1, 2], ['a']), 'columns'],
  ])('%s', async (_, run, field) => {
    await expectTypedError(run, field);
  });
});
