import { join } from 'node:path';
import type { ReportedRecord, WorkerCommand, WorkerMessage, WorkerProcessOptions } from './workerProcessProtocol';
import { ForkedTestProcess } from '../../../test/support/ForkedTestProcess';

const PACKAGES = join(__dirname, '..', '..');
const SCRIPT = join(__dirname, 'workerProcessChild.ts');

/** A record one worker process was handed, with where and when. */
export type Delivery = ReportedRecord & { readonly worker: string; readonly shardId: string; readonly at: number };

/**
 * A {@link WorkerProcessOptions worker} in a child node process (test/workerProcessChild.ts, run
 * with ts-node against the built packages), with the worker-specific questions on top.
 */
export class WorkerProcess extends ForkedTestProcess<WorkerMessage> {
  #requests = 0;

  /** @throws Error when the packages the child needs are not built, or are older than their sources. */
  constructor(readonly options: WorkerProcessOptions) {
    super({ script: SCRIPT, config: options, cwd: join(PACKAGES, 'kcl'), name: options.workerId, builtPackages: ['aggregation', 'kcl', 'testing'] });
  }

  get workerId(): string {
    return this.options.workerId;
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
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(command);
    });
  }
}
