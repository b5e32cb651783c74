import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineWorkerMessage, PipelineWorkerOptions } from './pipelineWorkerProtocol';

const PACKAGES = join(__dirname, '..', '..', '..');
const SCRIPT = join(__dirname, 'pipelineWorkerChild.ts');
/** What the child loads from dist/. */
const BUILT_PACKAGES = ['aggregation', 'kcl', 'testing', 'connector'];
const OUTPUT_TAIL_CHARS = 6_000;

/**
 * A Worker + connector pipeline into PostgreSQL in a child node process (pipelineWorkerChild.ts,
 * run with ts-node against the built packages). Collects what the child reports; kill it with
 * any signal. Always `kill('SIGKILL')` what is left in `afterAll`.
 */
export class PipelineWorkerProcess {
  /** Every message the child sent, in arrival order. */
  readonly messages: PipelineWorkerMessage[] = [];
  /** Resolves when the child has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcess;
  #output = '';
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  /** @throws Error when the packages the child needs are not built, or are older than their sources. */
  constructor(readonly options: PipelineWorkerOptions) {
    assertBuilt();
    this.#child = fork(SCRIPT, [JSON.stringify(options)], {
      cwd: join(PACKAGES, 'connector'),
      execArgv: ['-r', require.resolve('ts-node/register/transpile-only')],
      env: { ...process.env, NODE_NO_WARNINGS: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.#child.on('message', (message: PipelineWorkerMessage) => this.messages.push(message));
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => (this.#output = (this.#output + chunk).slice(-OUTPUT_TAIL_CHARS)));
    }
    this.exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
  }

  get alive(): boolean {
    return this.#exit === undefined;
  }

  /** Calls `listener` with every later message; returns the function that stops it. */
  onMessage(listener: (message: PipelineWorkerMessage) => void): () => void {
    this.#child.on('message', listener);
    return () => this.#child.off('message', listener);
  }

  /** The messages of one type. */
  of<T extends PipelineWorkerMessage['type']>(type: T): Extract<PipelineWorkerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<PipelineWorkerMessage, { type: T }> => m.type === type);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.alive) this.#child.kill(signal);
  }

  /** For failure messages: how the child ended and the tail of what it printed. */
  describe(): string {
    const state = this.#exit === undefined ? 'running' : this.#exit.signal ? `killed by ${this.#exit.signal}` : `exited with code ${this.#exit.code}`;
    const tail = this.#output.trim();
    return `[${this.options.workerId}: ${state}${tail ? `; output tail:\n${tail}` : ''}]`;
  }
}

/**
 * The child runs the built dist/ of these packages (what `@kinesis-toolkit/*` resolves to outside
 * jest). Refuse to test stale or missing builds: the results would be about other code.
 */
function assertBuilt(): void {
  for (const name of BUILT_PACKAGES) {
    const buildInfo = join(PACKAGES, name, 'dist', '.tsbuildinfo');
    if (!existsSync(join(PACKAGES, name, 'dist', 'index.js')) || !existsSync(buildInfo)) {
      throw new Error(`packages/${name}/dist is missing: the worker child process runs the built packages. Run \`npm run build\` first.`);
    }
    const newest = newestSource(join(PACKAGES, name, 'src'));
    if (newest.mtimeMs > statSync(buildInfo).mtimeMs) {
      throw new Error(`packages/${name}/dist is older than ${newest.path}: the worker child process would run stale code. Run \`npm run build\` first.`);
    }
  }
}

/** The most recently modified source file that goes into the build (tests excluded). */
function newestSource(dir: string): { path: string; mtimeMs: number } {
  let newest = { path: dir, mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'fixtures') continue;
      const inner = newestSource(path);
      if (inner.mtimeMs > newest.mtimeMs) newest = inner;
    } else if (/\.(ts|js)$/.test(entry.name) && !/\.test\.ts$|\.contract\.ts$/.test(entry.name)) {
      const mtimeMs = statSync(path).mtimeMs;
      if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
    }
  }
  return newest;
}
