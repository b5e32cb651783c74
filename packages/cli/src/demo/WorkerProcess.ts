import type { Writable } from 'node:stream';
import { fork, type ChildProcess } from 'node:child_process';
import { DemoError } from './DemoError';
import type { WorkerChildConfig, WorkerCommand, WorkerMessage } from './workerProtocol';

const OUTPUT_TAIL_CHARS = 4000;

/** How a worker process ended. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * One demo worker: a child node process running workerMain.js (a KCL `Worker` with a connector
 * pipeline), reporting over IPC. Keeps the tail of its output for error messages.
 */
export class WorkerProcess {
  /** The shards it last said it holds. */
  held: readonly string[] = [];
  /** Resolves when the process has exited. */
  readonly exited: Promise<WorkerExit>;
  readonly #child: ChildProcess;
  #exit: WorkerExit | undefined;
  #output = '';

  /**
   * Forks the worker; `onMessage` hears every message it sends.
   * @param script - the compiled workerMain.js
   */
  constructor(
    readonly config: WorkerChildConfig,
    script: string,
    env: NodeJS.ProcessEnv,
    onMessage: (worker: WorkerProcess, message: WorkerMessage) => void,
    /** Where the child's log lines (its stderr) are copied. @defaultValue nowhere (kept for failure messages) */
    logTo?: Writable,
    /** Where the child's stdout (its `--metrics emf:-` lines) is copied, whole lines at a time. @defaultValue nowhere (kept for failure messages) */
    stdoutTo?: Writable,
  ) {
    this.#child = fork(script, [JSON.stringify(config)], {
      // The SDK's Node-version notice would only clutter the demo's output.
      env: { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.#child.on('message', (message: WorkerMessage) => {
      if (message.type === 'held') this.held = message.shardIds;
      onMessage(this, message);
    });
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => (this.#output = (this.#output + chunk).slice(-OUTPUT_TAIL_CHARS)));
    }
    if (logTo !== undefined) this.#child.stderr?.on('data', (chunk: string) => logTo.write(chunk));
    if (stdoutTo !== undefined) {
      // Whole lines only, so that two workers' lines never interleave within one.
      let partial = '';
      this.#child.stdout?.on('data', (chunk: string) => {
        const end = (partial + chunk).lastIndexOf('\n');
        if (end < 0) return void (partial += chunk);
        stdoutTo.write((partial + chunk).slice(0, end + 1));
        partial = (partial + chunk).slice(end + 1);
      });
    }
    this.exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        this.held = [];
        resolve(this.#exit);
      });
    });
  }

  get workerId(): string {
    return this.config.workerId;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get alive(): boolean {
    return this.#exit === undefined;
  }

  /**
   * Resolves once the worker reports it started; rejects if it fails to start, exits, or takes
   * longer than `timeoutMs`.
   */
  started(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(`it did not start within ${timeoutMs} ms`), timeoutMs);
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'started') done(resolve);
        else if (message.type === 'startFailed') fail(message.error);
      };
      const onExit = () => fail('it exited');
      const fail = (why: string) => done(() => reject(new DemoError('WorkerStartFailed', `worker ${this.workerId} did not start: ${why}. ${this.describe()}`)));
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.#child.off('message', onMessage);
        this.#child.off('exit', onExit);
        settle();
      };
      this.#child.on('message', onMessage);
      this.#child.once('exit', onExit);
    });
  }

  /** `kill -9`: no shutdown, no checkpoint, leases left to expire. */
  kill(): void {
    if (this.alive) this.#child.kill('SIGKILL');
  }

  /**
   * Asks for a graceful shutdown (the pipeline flushes, checkpoints and releases its leases);
   * kills it if it has not exited within `timeoutMs`. Resolves with whether it stopped by itself.
   */
  async shutdown(timeoutMs: number): Promise<boolean> {
    if (!this.alive) return this.#exit?.code === 0;
    const command: WorkerCommand = { type: 'shutdown' };
    if (this.#child.connected) this.#child.send(command);
    else this.#child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.kill();
      await this.exited;
      return false;
    }
    return outcome.code === 0;
  }

  /** For error messages: how it ended and the tail of its output. */
  describe(): string {
    const state = this.#exit === undefined ? 'running' : this.#exit.signal ? `killed by ${this.#exit.signal}` : `exited with code ${this.#exit.code}`;
    const tail = this.#output.trim();
    return `[${this.workerId}: ${state}${tail ? `; output tail: ${tail.slice(-1500)}` : ''}]`;
  }
}
