import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { PipelineWorkerMessage, PipelineWorkerOptions } from './pipelineWorkerProtocol';
import { assertBuilt as assertBuiltPackages } from '../../../../test/support/assertBuilt';

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

/** The child runs the built dist/ of these packages. */
function assertBuilt(): void {
  assertBuiltPackages(BUILT_PACKAGES, 'the worker child process');
}
