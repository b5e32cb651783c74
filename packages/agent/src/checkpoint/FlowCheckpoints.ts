import type { FileCheckpoint } from './CheckpointFile';

/** Where one flow keeps the checkpoints of the files it reads. */
export interface FlowCheckpoints {
  /** For messages: the checkpoint file. */
  readonly path: string;
  /** The flow's checkpoints, or undefined on its first run. @throws CheckpointFileError */
  load(): Promise<readonly FileCheckpoint[] | undefined>;
  /** Replaces the flow's checkpoints atomically. @throws CheckpointFileError */
  save(files: readonly FileCheckpoint[]): Promise<void>;
}
