import { fork, type ChildProcess } from 'node:child_process';
import { assertBuilt } from './assertBuilt';

const OUTPUT_TAIL_CHARS = 6_000;

/** How to start a {@link ForkedTestProcess}. */
export interface ForkedTestProcessOptions {
  /** The child's entry script (TypeScript, run with ts-node's transpile-only register). */
  readonly script: string;
  /** Passed to the child as its only argument, as JSON. */
  readonly config: unknown;
  readonly cwd: string;
  /** A name for failure messages (e.g. the worker id). */
  readonly name: string;
  /** Package folders whose dist/ the child loads: refused when missing or stale. */
  readonly builtPackages: readonly string[];
}

/**
 * A child node process a test drives over IPC — a KCL worker, a connector pipeline — that runs
 * against the built packages. Collects every message the child sends and the tail of its output
 * (for failure messages); kill it with any signal. Always `destroy()` what is left in
 * `afterAll`. Shared by the kcl and connector process tests.
 */
export class ForkedTestProcess<Message extends { readonly type: string }> {
  /** Every message the child sent, in arrival order. */
  readonly messages: Message[] = [];
  /** Resolves when the child has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  protected readonly child: ChildProcess;
  readonly #name: string;
  #output = '';
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  /** @throws Error when the packages the child needs are not built, or are older than their sources. */
  constructor(options: ForkedTestProcessOptions) {
    assertBuilt(options.builtPackages, 'the child processes');
    this.#name = options.name;
    this.child = fork(options.script, [JSON.stringify(options.config)], {
      cwd: options.cwd,
      execArgv: ['-r', require.resolve('ts-node/register/transpile-only')],
      env: { ...process.env, NODE_NO_WARNINGS: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.on('message', (message: Message) => this.messages.push(message));
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => (this.#output = (this.#output + chunk).slice(-OUTPUT_TAIL_CHARS)));
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
  }

  get alive(): boolean {
    return this.#exit === undefined;
  }

  /** Calls `listener` with every later message; returns the function that stops it. */
  onMessage(listener: (message: Message) => void): () => void {
    this.child.on('message', listener);
    return () => this.child.off('message', listener);
  }

  /** The messages of one type. */
  of<T extends Message['type']>(type: T): Extract<Message, { type: T }>[] {
    return this.messages.filter((m): m is Extract<Message, { type: T }> => m.type === type);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  /** Kills the child (SIGKILL, which it cannot ignore) and resolves once it has exited. For `afterAll`. */
  async destroy(): Promise<void> {
    this.kill('SIGKILL');
    await this.exited;
  }

  /** For failure messages: how the child ended and the tail of what it printed. */
  describe(): string {
    const state = this.#exit === undefined ? 'running' : this.#exit.signal ? `killed by ${this.#exit.signal}` : `exited with code ${this.#exit.code}`;
    const tail = this.#output.trim();
    return `[${this.#name}: ${state}${tail ? `; output tail:\n${tail}` : ''}]`;
  }
}
