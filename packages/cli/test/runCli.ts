import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { assertBuilt } from '../../../test/support/assertBuilt';

/** The repository's `packages/` folder. */
const PACKAGES = join(__dirname, '..', '..');
/** The built binary the tests drive: what `npm i -g` would install as `kinesis-toolkit`. */
export const CLI_BIN = join(PACKAGES, 'cli', 'dist', 'bin.js');
/** Packages whose dist/ the binary loads at run time. */
const RUNTIME_PACKAGES = ['aggregation', 'kpl', 'kcl', 'connector', 'analytics', 'agent', 'testing', 'cli'];
const OUTPUT_LIMIT_CHARS = 4_000_000;
let builtChecked = false;

/** Options of {@link runCli} and {@link startCli}; every field is optional. */
export interface CliRunOptions {
  /**
   * Variables to set on top of this process's environment (which, in jest, carries the local
   * stack's `KT_*_ENDPOINT`s); `undefined` removes one. @defaultValue `{}`
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Replace the environment instead of adding to it. @defaultValue false */
  readonly cleanEnv?: boolean;
  /** Working directory. @defaultValue the repository root */
  readonly cwd?: string;
  /** Written to the child's stdin, which is then closed. @defaultValue nothing (stdin closed at once) */
  readonly stdin?: string | Buffer;
  /** {@link runCli} kills the child (SIGKILL) and rejects after this long. @defaultValue 20000 */
  readonly timeoutMs?: number;
}

/** How a finished run of the binary ended and what it printed. */
export interface CliResult {
  /** Exit code; null when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node packages/cli/dist/bin.js ...args` to completion and resolves with its exit code and
 * output. Rejects (after killing the child) when it runs longer than `timeoutMs`, with the
 * output so far in the message.
 *
 * @example
 * ```ts
 * const result = await runCli(['consume', '--stream', name, '--until-idle']);
 * expect(result.code).toBe(0);
 * ```
 * @throws Error when the binary or a package it loads is not built or older than its sources.
 */
export async function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  const child = startCli(args, options);
  const timeoutMs = options.timeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kinesis-toolkit ${args.join(' ')} did not finish within ${timeoutMs} ms. ${child.describe()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([child.exited, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the binary and returns at once, for commands that run until stopped (`local`,
 * `consume` following a stream): wait for output with {@link CliProcess.waitForOutput}, stop it
 * with {@link CliProcess.kill}. Always `kill('SIGKILL')` what is left in `afterAll`/`finally`.
 */
export function startCli(args: readonly string[], options: CliRunOptions = {}): CliProcess {
  // Once per test file: a source edited while the file's tests run is not a stale build.
  // KT_CLI_TRUST_BUILD=1 skips the check, for a tree that others edit while you test a build
  // you just made.
  if (process.env.KT_CLI_TRUST_BUILD !== '1') builtChecked ||= (assertCliBuilt(), true);
  return new CliProcess(args, options);
}

/** A running `kinesis-toolkit` child process and everything it printed so far. */
export class CliProcess {
  /** Resolves when the child has exited (never rejects). */
  readonly exited: Promise<CliResult>;
  readonly #child: ChildProcess;
  readonly #args: readonly string[];
  #stdout = '';
  #stderr = '';
  #result: CliResult | undefined;
  readonly #listeners = new Set<() => void>();

  constructor(args: readonly string[], options: CliRunOptions) {
    this.#args = args;
    const env: NodeJS.ProcessEnv = options.cleanEnv ? { PATH: process.env.PATH } : { ...process.env };
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    this.#child = spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: options.cwd ?? join(PACKAGES, '..'),
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child.stdin?.on('error', () => undefined); // a child that exits early closes its stdin
    this.#child.stdin?.end(options.stdin ?? '');
    this.#child.stdout?.setEncoding('utf8');
    this.#child.stderr?.setEncoding('utf8');
    this.#child.stdout?.on('data', (chunk: string) => {
      this.#stdout = (this.#stdout + chunk).slice(-OUTPUT_LIMIT_CHARS);
      this.#notify();
    });
    this.#child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-OUTPUT_LIMIT_CHARS);
      this.#notify();
    });
    this.exited = new Promise((resolve) => {
      // 'close' (not 'exit'): all output has been read by then.
      this.#child.once('close', (code, signal) => {
        this.#result = { code, signal, stdout: this.#stdout, stderr: this.#stderr };
        this.#notify();
        resolve(this.#result);
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  get alive(): boolean {
    return this.#result === undefined;
  }

  /**
   * Resolves with the first match of `pattern` in stdout (or stderr with `stream: 'stderr'`).
   * Rejects when the child exits without printing it or `timeoutMs` passes, with the output in
   * the message.
   */
  waitForOutput(pattern: RegExp, { timeoutMs = 15_000, stream = 'stdout' }: { timeoutMs?: number; stream?: 'stdout' | 'stderr' } = {}): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = (stream === 'stdout' ? this.#stdout : this.#stderr).match(pattern);
        if (match) return finish(() => resolve(match));
        if (this.#result !== undefined) return finish(() => reject(new Error(`exited before printing ${pattern}. ${this.describe()}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} on ${stream} within ${timeoutMs} ms. ${this.describe()}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        settle();
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** Sends `signal` unless the child has exited. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.alive) this.#child.kill(signal);
  }

  /** For failure messages: the command, how it ended and what it printed (tails). */
  describe(): string {
    const state = this.#result === undefined ? 'running' : this.#result.signal ? `killed by ${this.#result.signal}` : `exited with code ${this.#result.code}`;
    return `[kinesis-toolkit ${this.#args.join(' ')}: ${state}; stdout tail: ${JSON.stringify(this.#stdout.slice(-2000))}; stderr tail: ${JSON.stringify(this.#stderr.slice(-2000))}]`;
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/**
 * Refuses to test a missing or stale build: the binary runs the packages' dist/.
 * @throws Error saying which package to build.
 */
export function assertCliBuilt(): void {
  assertBuilt(RUNTIME_PACKAGES, 'the CLI tests', 'npx tsc -b packages/cli/tsconfig.build.json');
}
