import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ReportedRecord, WorkerCommand, WorkerMessage, WorkerProcessOptions } from './workerProcessProtocol';
import { assertBuilt as assertBuiltPackages } from '../../../test/support/assertBuilt';

const PACKAGES = join(__dirname, '..', '..');
const SCRIPT = join(__dirname, 'workerProcessChild.ts');
const OUTPUT_TAIL_CHARS = 6_000;

/** A record one worker process was handed, with where and when. */
export type Delivery = ReportedRecord & { readonly worker: string; readonly shardId: string; readonly at: number };

/**
 * A {@link WorkerProcessOptions worker} in a child node process (test/workerProcessChild.ts, run
 * with ts-node against the built packages). Collects everything the child reports; kill it
 * with any signal. Always `kill('SIGKILL')` what is left in `afterAll`.
 */
export class WorkerProcess {
  /** Every message the child sent, in arrival order. */
  readonly messages: WorkerMessage[] = [];
  /** Resolves when the child has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcess;
  #output = '';
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #requests = 0;

  /** @throws Error when the packages the child needs are not built, or are older than their sources. */
  constructor(readonly options: WorkerProcessOptions) {
    assertBuilt();
    this.#child = fork(SCRIPT, [JSON.stringify(options)], {
      cwd: join(PACKAGES, 'kcl'),
      execArgv: ['-r', require.resolve('ts-node/register/transpile-only')],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.#child.on('message', (message: WorkerMessage) => this.messages.push(message));
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

  get workerId(): string {
    return this.options.workerId;
  }

  get alive(): boolean {
    return this.#exit === undefined;
  }

  /** Calls `listener` with every later message; returns the function that stops it. */
  onMessage(listener: (message: WorkerMessage) => void): () => void {
    this.#child.on('message', listener);
    return () => this.#child.off('message', listener);
  }

  /** The messages of one type. */
  of<T extends WorkerMessage['type']>(type: T): Extract<WorkerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<WorkerMessage, { type: T }> => m.type === type);
  }

  /** Forwarded worker events of one name. */
  events(name: Extract<WorkerMessage, { type: 'event' }>['name']): Extract<WorkerMessage, { type: 'event' }>[] {
    return this.of('event').filter((e) => e.name === name);
  }

  /** Every record the child's processors were handed. */
  deliveries(): Delivery[] {
    return this.of('records').flatMap((m) => m.records.map((r) => ({ ...r, worker: this.workerId, shardId: m.shardId, at: m.at })));
  }

  /** Resolves with the shards the child's worker believes it holds (`worker.heldShards`). */
  heldShards(timeoutMs = 2000): Promise<string[]> {
    const requestId = ++this.#requests;
    const command: WorkerCommand = { type: 'reportHeld', requestId };
    return new Promise((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type !== 'held' || message.requestId !== requestId) return;
        off();
        resolve(message.shardIds);
      };
      const fail = (why: string) => {
        off();
        reject(new Error(`${this.workerId} did not report its held shards: ${why}. ${this.describe()}`));
      };
      const onExit = () => fail('it exited');
      const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
      const off = () => {
        clearTimeout(timer);
        this.#child.off('message', onMessage);
        this.#child.off('exit', onExit);
      };
      this.#child.on('message', onMessage);
      this.#child.once('exit', onExit);
      this.#child.send(command);
    });
  }

  kill(signal: NodeJS.Signals): void {
    if (this.alive) this.#child.kill(signal);
  }

  /** For failure messages: how the child ended and the tail of what it printed. */
  describe(): string {
    const state = this.#exit === undefined ? 'running' : this.#exit.signal ? `killed by ${this.#exit.signal}` : `exited with code ${this.#exit.code}`;
    const tail = this.#output.trim();
    return `[${this.workerId}: ${state}${tail ? `; output tail:\n${tail}` : ''}]`;
  }
}

/** The child runs the built dist/ of these packages. */
function assertBuilt(): void {
  assertBuiltPackages(['aggregation', 'kcl', 'testing'], 'the worker child processes');
}
