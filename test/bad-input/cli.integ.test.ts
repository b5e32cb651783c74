/**
 * Bad input to the `kinesis-toolkit` binary (packages/cli/dist/bin.js, as installed): flags and
 * config files. Each mistake must end the run with exit code 2 and one line on stderr naming the
 * flag or key — never a stack trace, a raw TypeError, parseArgs' own wording, an internal option
 * name, or a run that goes on silently. Every run is bounded (killed after RUN_BOUND_MS).
 *
 * @jest-environment ./test/bad-input/support/trackingEnvironment.js
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { createStream, getTestStack, uniqueName } from '@kinesis-toolkit/testing';
import { runCli, type CliResult } from '../../packages/cli/test/runCli';
import { failOnUnhandledRejections } from './support/badInput';

failOnUnhandledRejections();

const RUN_BOUND_MS = 15_000;
const directory = mkdtempSync(join(tmpdir(), 'kt-bad-input-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Writes a config file for one case; returns its path. */
function configFile(name: string, content: unknown): string {
  const path = join(directory, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** Runs the binary against a local endpoint that nothing listens on: a bad flag must stop it before any call. */
async function run(args: readonly string[]): Promise<CliResult> {
  const unreachable = 'http://127.0.0.1:9';
  return runCli(args, { timeoutMs: RUN_BOUND_MS, env: { KT_KINESIS_ENDPOINT: unreachable, KT_DYNAMODB_ENDPOINT: unreachable, KT_S3_ENDPOINT: unreachable, AWS_REGION: 'us-east-1' } });
}

/**
 * Exit code 2, one line on stderr naming `name` (and `value`, when the flag was given a bad
 * value: an "unknown flag" line would not do), no stack trace, no raw TypeError, no parseArgs
 * wording, no internal option name.
 */
function expectUsageError(result: CliResult, name: string, value?: string): void {
  const lines = result.stderr.trimEnd().split('\n');
  const summary = `exit ${String(result.code)}${result.signal ? ` (${result.signal})` : ''}, stderr: ${JSON.stringify(result.stderr.slice(0, 400))}`;
  const named = lines[0]!.includes(name) && (value === undefined || lines[0]!.includes(value));
  if (result.code !== 2 || lines.length !== 1 || !named || /\n\s+at |TypeError|ambiguous|recordTtlMs|maxRecordBytes/.test(result.stderr)) {
    throw new Error(`expected exit code 2 and one line naming ${name}${value === undefined ? '' : ` and ${JSON.stringify(value)}`}; got ${summary}`);
  }
}

/** The value given to `flag` in `args`, if any. */
function valueOf(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return flag.startsWith('--') && index >= 0 ? args[index + 1] : undefined;
}

const agentConfig = (extra: object) => ({ checkpointFile: join(directory, 'agent.checkpoints'), flows: [{ filePattern: join(directory, '*.log'), kinesisStream: 'orders', ...extra }] });
const pipelineConfig = (extra: object) => ({ stream: 'orders', application: 'orders-app', emitter: { type: 'stdout' }, ...extra });

describe('the kinesis-toolkit binary', () => {
  it.each([
    ['an unknown command', ['frobnicate'], 'frobnicate'],
    ['demo --records -5', ['demo', '--records', '-5'], '--records'],
    ['demo --records abc', ['demo', '--records', 'abc'], '--records'],
    ['demo --shards 0', ['demo', '--shards', '0'], '--shards'],
    ['demo --chaos explode', ['demo', '--chaos', 'explode'], '--chaos'],
    ['demo --bogus', ['demo', '--bogus'], '--bogus'],
    ['local --shard-limit 0', ['local', '--shard-limit', '0'], '--shard-limit'],
    ['local --bogus', ['local', '--bogus'], '--bogus'],
    ['produce --kinesis-endpoint notaurl', ['produce', '--stream', 'orders', '--kinesis-endpoint', 'notaurl'], '--kinesis-endpoint'],
    ['produce --bogus', ['produce', '--stream', 'orders', '--bogus'], '--bogus'],
    ['produce without --stream', ['produce'], '--stream'],
    ['produce --record-ttl-ms -1 (named as the flag, not recordTtlMs)', ['produce', '--stream', 'orders', '--record-ttl-ms', '-1'], '--record-ttl-ms'],
    ['produce --max-record-bytes 0', ['produce', '--stream', 'orders', '--max-record-bytes', '0'], '--max-record-bytes'],
    ['produce --processing NOPE', ['produce', '--stream', 'orders', '--processing', 'NOPE'], '--processing'],
    ['produce --log-level loud', ['produce', '--stream', 'orders', '--log-level', 'loud'], '--log-level'],
    ['consume without --stream', ['consume'], '--stream'],
    ['consume --format xml', ['consume', '--stream', 'orders', '--format', 'xml'], '--format'],
    ['consume --position NOWHERE', ['consume', '--stream', 'orders', '--position', 'NOWHERE'], '--position'],
    ['consume --limit 0', ['consume', '--stream', 'orders', '--limit', '0'], '--limit'],
    ['consume --timestamp yesterday', ['consume', '--stream', 'orders', '--timestamp', 'yesterday'], '--timestamp'],
    ['consume --dynamodb-endpoint ftp://x', ['consume', '--stream', 'orders', '--dynamodb-endpoint', 'ftp://x'], '--dynamodb-endpoint'],
    ['consume --log-level loud', ['consume', '--stream', 'orders', '--log-level', 'loud'], '--log-level'],
    ['leases without --app', ['leases'], '--app'],
    ['leases --bogus', ['leases', '--app', 'orders-app', '--bogus'], '--bogus'],
    ['bench --bogus', ['bench', '--bogus'], '--bogus'],
  ])('%s', async (_, args, name) => {
    expectUsageError(await run(args), name, valueOf(args, name));
  });

  it.each([
    ['an unknown key in a flow (kinesisStreem)', () => agentConfig({ kinesisStreem: 'orders' }), 'kinesisStreem'],
    ['skipHeaderLines "two"', () => agentConfig({ skipHeaderLines: 'two' }), 'skipHeaderLines'],
    ['kinesis.endpoint "notaurl"', () => ({ ...agentConfig({}), kinesis: { endpoint: 'notaurl' } }), 'kinesis.endpoint'],
    ['a file that is not JSON', () => '{ flows: [', 'agent.json'],
  ])('produce --config with %s', async (_, content, name) => {
    const path = configFile('agent.json', content());
    expectUsageError(await run(['produce', '--config', path]), name);
  });

  it.each([
    ['application 5', () => pipelineConfig({ application: 5 }), 'application'],
    ["application 'a b' (not a table name)", () => pipelineConfig({ application: 'a b' }), 'application'],
    ['an unknown emitter key (bukcet)', () => pipelineConfig({ emitter: { type: 's3', bukcet: 'b' } }), 'emitter.bukcet'],
    ["emitter type 'kafka'", () => pipelineConfig({ emitter: { type: 'kafka' } }), 'emitter.type'],
    ['buffer.maxRecords -1', () => pipelineConfig({ buffer: { maxRecords: -1 } }), 'buffer.maxRecords'],
    ["initialPosition 'EARLIEST'", () => pipelineConfig({ initialPosition: 'EARLIEST' }), 'initialPosition'],
  ])('consume --config with %s', async (_, content, name) => {
    const path = configFile('pipeline.json', content());
    expectUsageError(await run(['consume', '--config', path]), name);
  });
});

/** Exit code 1 (a failure while running, not a usage error), one line naming `name`, within the bound. */
function expectRuntimeError(result: CliResult, name: string): void {
  const lines = result.stderr.trimEnd().split('\n').filter((line) => !/Warning|NodeVersionSupport/.test(line));
  const summary = `exit ${String(result.code)}${result.signal ? ` (${result.signal})` : ''}, stderr: ${JSON.stringify(result.stderr.slice(-400))}`;
  if (result.code !== 1 || lines.length !== 1 || !lines[0]!.includes(name) || /\n\s+at |TypeError/.test(result.stderr)) {
    throw new Error(`expected exit code 1 and one line naming ${name}; got ${summary}`);
  }
}

describe('the kinesis-toolkit binary against the local stack, when what it is pointed at does not exist', () => {
  /** The real stack's endpoints (from jest's global setup), bounded. */
  const live = (args: readonly string[], stdin?: string): Promise<CliResult> => runCli(args, { timeoutMs: RUN_BOUND_MS, ...(stdin === undefined ? {} : { stdin }) });

  it('consume --stream of a stream that does not exist', async () => {
    const stream = uniqueName('missing');
    expectRuntimeError(await live(['consume', '--stream', stream, '--until-idle']), stream);
  });

  it('produce --stream of a stream that does not exist fails well before the 30 s record TTL', async () => {
    const stream = uniqueName('missing');
    expectRuntimeError(await live(['produce', '--stream', stream], 'one\ntwo\n'), stream);
  });

  it('leases --app of an application with no lease table', async () => {
    const app = uniqueName('missing-app');
    expectRuntimeError(await live(['leases', '--app', app]), app);
  });

  it('consume --config with a stream that does not exist', async () => {
    const stream = uniqueName('missing');
    const path = configFile('missing-stream.json', pipelineConfig({ stream }));
    expectRuntimeError(await live(['consume', '--config', path]), stream);
  });

  it('consume --config with an S3 emitter into a bucket that does not exist', async () => {
    const stack = getTestStack();
    const stream = uniqueName('to-missing-bucket');
    const bucket = uniqueName('missing-bucket');
    try {
      await createStream(stack.kinesis.client, stream, 1);
      await stack.kinesis.client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: Buffer.from('{"a":1}') }));
    } finally {
      stack.destroy();
    }
    const path = configFile('missing-bucket.json', pipelineConfig({ stream, initialPosition: 'TRIM_HORIZON', buffer: { maxRecords: 1 }, emitter: { type: 's3', bucket } }));
    expectRuntimeError(await live(['consume', '--config', path]), bucket);
  });
});
