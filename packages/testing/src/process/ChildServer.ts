import { fork, type ChildProcess } from 'node:child_process';
import { ServerStartError } from '../errors/ServerStartError';
import type { Logger } from '@kinesis-toolkit/core';

/** How to start a {@link ChildServer}. */
export interface ChildServerOptions {
  /** Names the server in errors and log lines, e.g. `s3rver`. */
  readonly name: string;
  /** Absolute path of a CommonJS entry script (one built on `childRuntime.js`, unless `readyMessage` is false). */
  readonly script: string;
  /** Passed to the script as JSON in `argv[2]`. */
  readonly config?: unknown;
  /** Node flags of the child; the parent's own flags are never inherited. */
  readonly execArgv?: readonly string[];
  /** The child's environment. @defaultValue the parent's */
  readonly env?: NodeJS.ProcessEnv;
  /** Wait for the script's `{ type: 'ready' }` message; if false, `start` resolves once the process is spawned. */
  readonly readyMessage: boolean;
  readonly startTimeoutMs: number;
  /** How long a stop may take before the child is killed with SIGKILL. */
  readonly stopTimeoutMs: number;
  readonly logger: Logger;
}

const OUTPUT_TAIL_CHARS = 8_000;

/**
 * A server running in a child node process that is tied to this one by an IPC channel: it is
 * stopped by {@link ChildServer.stop}, and it stops itself if this process dies. The child's
 * stdout and stderr go to the logger at debug level; their tail is kept for error messages.
 */
export class ChildServer<Ready extends object = object> {
  readonly #child: ChildProcess;
  readonly #stopTimeoutMs: number;
  readonly #exited: Promise<void>;
  #exitCode: number | null = null;
  #exitSignal: NodeJS.Signals | null = null;
  #hasExited = false;
  #output = '';
  #stopping: Promise<void> | undefined;
  #ready: Ready | undefined;

  private constructor(child: ChildProcess, options: ChildServerOptions) {
    this.#child = child;
    this.#stopTimeoutMs = options.stopTimeoutMs;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#hasExited = true;
        this.#exitCode = code;
        this.#exitSignal = signal;
        resolve();
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.#output = (this.#output + chunk).slice(-OUTPUT_TAIL_CHARS);
        for (const line of chunk.split('\n')) {
          if (line.trim() !== '') options.logger.debug({}, `[${options.name}] ${line}`);
        }
      });
    }
  }

  /**
   * Forks the script and, when `readyMessage` is set, waits for it to report ready.
   * @throws ServerStartError when the child fails, exits or does not report ready in time (it is then killed).
   */
  static async start<Ready extends object>(options: ChildServerOptions): Promise<ChildServer<Ready>> {
    const child = fork(options.script, [JSON.stringify(options.config ?? {})], {
      execArgv: [...(options.execArgv ?? [])],
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const server = new ChildServer<Ready>(child, options);
    try {
      server.#ready = await server.#awaitStart(options);
    } catch (error) {
      await server.kill();
      throw error;
    }
    return server;
  }

  /** The info the child reported with its ready message (empty without `readyMessage`). */
  get ready(): Ready {
    return this.#ready as Ready;
  }

  /** The child's process id. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Whether the child process has exited. */
  get hasExited(): boolean {
    return this.#hasExited;
  }

  /** Resolves when the child process has exited, for whatever reason. */
  get exited(): Promise<void> {
    return this.#exited;
  }

  /** The last few thousand characters the child wrote to stdout and stderr. */
  get output(): string {
    return this.#output;
  }

  /** A description of how the child exited, for error messages. */
  get exitDescription(): string {
    if (!this.#hasExited) return 'still running';
    return this.#exitSignal === null ? `exited with code ${String(this.#exitCode)}` : `killed by ${this.#exitSignal}`;
  }

  /**
   * Asks the child to stop (it cleans up after itself) and waits for it to exit; after
   * `stopTimeoutMs` it is killed. Safe to call more than once.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /** Kills the child with SIGKILL at once and waits for it to exit. */
  async kill(): Promise<void> {
    if (!this.#hasExited) this.#child.kill('SIGKILL');
    await this.#exited;
  }

  async #stop(): Promise<void> {
    if (this.#hasExited) return;
    if (this.#child.connected) this.#child.send({ type: 'stop' });
    else this.#child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.#stopTimeoutMs);
    });
    const tooSlow = await Promise.race([this.#exited.then(() => false), timedOut]);
    clearTimeout(timer);
    if (tooSlow) await this.kill();
  }

  #awaitStart(options: ChildServerOptions): Promise<Ready> {
    const child = this.#child;
    return new Promise<Ready>((resolve, reject) => {
      const cleanUp = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('error', onError);
        child.off('spawn', onSpawn);
        child.off('exit', onExit);
      };
      const fail = (message: string, cause?: unknown): void => {
        cleanUp();
        reject(new ServerStartError(options.name, message, { cause, output: this.#output }));
      };
      const onMessage = (message: unknown): void => {
        const { type, ...info } = (message ?? {}) as { type?: string; message?: string };
        if (type === 'ready') {
          cleanUp();
          resolve(info as unknown as Ready);
        } else if (type === 'failed') {
          fail(info.message ?? 'it reported a failure');
        }
      };
      const onError = (error: Error): void => fail(`could not run its process: ${error.message}`, error);
      const onSpawn = (): void => {
        if (options.readyMessage) return;
        cleanUp();
        resolve({} as Ready);
      };
      // 'exit' can come before the last stdout and stderr data; wait for the streams to close
      // ('close'), but not for long, in case a grandchild holds them open.
      const onExit = (): void => {
        const report = (): void => fail(`its process ${this.exitDescription} before it was ready`);
        const grace = setTimeout(report, 200);
        child.once('close', () => {
          clearTimeout(grace);
          report();
        });
      };
      const timer = setTimeout(() => fail(`not ready within ${options.startTimeoutMs} ms`), options.startTimeoutMs);
      child.on('message', onMessage);
      child.once('error', onError);
      child.once('spawn', onSpawn);
      child.once('exit', onExit);
    });
  }
}
