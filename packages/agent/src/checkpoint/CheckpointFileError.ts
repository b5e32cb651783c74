import { KinesisToolkitError } from '@kinesis-toolkit/core';

/**
 * The checkpoint file cannot be read (not JSON, not in the expected shape, written for another
 * stream) or written. Not retryable: a person has to look at the file.
 */
export class CheckpointFileError extends KinesisToolkitError {
  /** The checkpoint file's path. */
  readonly path: string;

  constructor(path: string, message: string, cause?: unknown) {
    super('CheckpointFileUnusable', message, { retryable: false, cause, context: { checkpointFile: path } });
    this.path = path;
  }
}
