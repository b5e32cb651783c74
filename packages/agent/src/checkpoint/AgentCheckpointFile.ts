import { readFile } from 'node:fs/promises';
import { validateFileCheckpoints, type FileCheckpoint } from './CheckpointFile';
import { CheckpointFileError } from './CheckpointFileError';
import type { FlowCheckpoints } from './FlowCheckpoints';
import { writeAtomically } from './writeAtomically';

const VERSION = 2;

/**
 * The checkpoints of every flow of one agent, in one JSON file (the agent's `checkpointFile`),
 * keyed by flow id (`kinesis:STREAM:PATTERN`, `fh:DELIVERY_STREAM:PATTERN`, as the Java agent
 * names flows): `{ "version": 2, "flows": { id: { "files": [...] } } }`. Each flow saves its own
 * entry; saves are serialized and each rewrites the file atomically (temporary file, fsync,
 * rename), so a crash leaves the old or the new state. A flow removed from agent.json keeps its
 * entry until `checkpointTimeToLiveDays` (the agent's rule) — here: until the file is deleted.
 */
export class AgentCheckpointFile {
  readonly path: string;
  #state: Map<string, readonly FileCheckpoint[]> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  /** The checkpoints of one flow. */
  flow(flowId: string): FlowCheckpoints {
    return {
      path: this.path,
      load: async () => (await this.#load()).get(flowId),
      save: (files) => this.#save(flowId, files),
    };
  }

  async #load(): Promise<Map<string, readonly FileCheckpoint[]>> {
    if (this.#state !== undefined) return this.#state;
    let text: string | undefined;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new CheckpointFileError(this.path, `cannot read the checkpoint file ${this.path}: ${(error as Error).message}`, error);
    }
    const state = new Map<string, readonly FileCheckpoint[]>();
    if (text !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw this.#invalid(`not JSON (${(error as Error).message})`, error);
      }
      const { version, flows } = (parsed ?? {}) as Record<string, unknown>;
      if (version !== VERSION || flows === null || typeof flows !== 'object') throw this.#invalid(`expected {"version": ${VERSION}, "flows": {...}}`);
      for (const [id, entry] of Object.entries(flows as Record<string, unknown>)) {
        const files = validateFileCheckpoints((entry as { files?: unknown } | null)?.files, (why) => this.#invalid(`flows[${JSON.stringify(id)}]: ${why}`));
        state.set(id, files);
      }
    }
    // Another load while this one ran must not replace what was saved meanwhile.
    this.#state ??= state;
    return this.#state;
  }

  #save(flowId: string, files: readonly FileCheckpoint[]): Promise<void> {
    const write = this.#writing.then(async () => {
      const state = await this.#load();
      state.set(flowId, files);
      const body = `${JSON.stringify({ version: VERSION, updatedAt: new Date().toISOString(), flows: Object.fromEntries([...state].map(([id, f]) => [id, { files: f }])) }, null, 1)}\n`;
      await writeAtomically(this.path, body);
    });
    // A failed write must not stop the next one.
    this.#writing = write.catch(() => undefined);
    return write;
  }

  #invalid(why: string, cause?: unknown): CheckpointFileError {
    return new CheckpointFileError(this.path, `${this.path} is not a kinesis-toolkit agent checkpoint file: ${why}. Fix or delete it, or set another checkpointFile`, cause);
  }
}
