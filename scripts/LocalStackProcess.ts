/**
 * The local stack (kinesalite, dynalite) and an optional ShardLimitProxy, run in a child process
 * and driven over IPC — see `localStackHost.ts` for why they do not share the benchmark's process.
 * Shared by the benchmarks of every package (kpl, kcl).
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { ShardLimitProxyStats } from '@kinesis-toolkit/testing';

/** A request to the host; `id` pairs it with its reply. */
export type HostRequest =
  | { readonly id: number; readonly op: 'startProxy'; readonly scale: number }
  | { readonly id: number; readonly op: 'proxyStats' }
  | { readonly id: number; readonly op: 'stopProxy' }
  | { readonly id: number; readonly op: 'usage' };

/** The host's answer; id 0 is its start-up message, carrying the {@link HostEndpoints}. */
export type HostReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: string };

/** Where the host's emulators listen, `http://127.0.0.1:PORT` each. */
export interface HostEndpoints {
  readonly kinesis: string;
  readonly dynamodb: string;
}

/** The host's resource use so far: CPU time (user + system) and resident memory. */
export interface HostUsage {
  readonly cpuMicros: number;
  readonly rssBytes: number;
  /** `performance.now()` in the host when it was taken. */
  readonly atMs: number;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const HOST_FILE = path.join(__dirname, 'localStackHost.ts');
const START_TIMEOUT_MS = 30_000;

/** A handle on the child process that runs kinesalite (and, on request, a ShardLimitProxy). */
export class LocalStackProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** kinesalite's endpoint, `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** dynalite's endpoint, `http://127.0.0.1:PORT`. */
  readonly dynamodbEndpoint: string;

  private constructor(child: ChildProcess, endpoints: HostEndpoints) {
    this.#child = child;
    this.endpoint = endpoints.kinesis;
    this.dynamodbEndpoint = endpoints.dynamodb;
    child.on('message', (message: HostReply) => {
      const pending = this.#pending.get(message.id);
      if (pending === undefined) return;
      this.#pending.delete(message.id);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(new Error(`local stack host: ${message.error}`));
    });
    child.on('exit', (code, signal) => {
      for (const pending of this.#pending.values()) pending.reject(new Error(`local stack host exited (${signal ?? code})`));
      this.#pending.clear();
    });
  }

  /** Forks the host (with ts-node, as the benchmarks run) and waits for the emulators to listen. */
  static async start(): Promise<LocalStackProcess> {
    const child = fork(HOST_FILE, [], {
      execArgv: ['-r', require.resolve('ts-node/register/transpile-only')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const endpoints = await new Promise<HostEndpoints>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`local stack host did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      child.once('message', (message: HostReply) => {
        clearTimeout(timer);
        if (message.ok) resolve(message.value as HostEndpoints);
        else reject(new Error(`local stack host: ${message.error}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`local stack host exited with code ${code} before starting`));
      });
    });
    return new LocalStackProcess(child, endpoints);
  }

  /** Starts a ShardLimitProxy (replacing any running one) in front of kinesalite; resolves with its endpoint. */
  async startProxy(scale: number): Promise<string> {
    return (await this.#call({ op: 'startProxy', scale })) as string;
  }

  /** A snapshot of the running proxy's counters. */
  async proxyStats(): Promise<ShardLimitProxyStats> {
    return (await this.#call({ op: 'proxyStats' })) as ShardLimitProxyStats;
  }

  async stopProxy(): Promise<void> {
    await this.#call({ op: 'stopProxy' });
  }

  /** The host's CPU time and RSS so far. */
  async usage(): Promise<HostUsage> {
    return (await this.#call({ op: 'usage' })) as HostUsage;
  }

  /** Closes the channel; the host stops its servers and exits. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || !this.#child.connected) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.disconnect();
    await exited;
  }

  #call(request: WithoutId<HostRequest>): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ ...request, id });
    });
  }
}

/** The share of one core a process used between two usage snapshots, 0..1 per core. */
export function cpuShare(from: HostUsage, to: HostUsage): number {
  const elapsedMs = to.atMs - from.atMs;
  return elapsedMs > 0 ? (to.cpuMicros - from.cpuMicros) / 1000 / elapsedMs : 0;
}
