import { open, rename, unlink } from 'node:fs/promises';
import { CheckpointFileError } from './CheckpointFileError';

/**
 * Replaces `path` with `body` atomically: a temporary file beside it, flushed to disk, then
 * renamed over it — so a crash leaves the old or the new content, never half of one.
 * @throws CheckpointFileError when the file cannot be written.
 */
export async function writeAtomically(path: string, body: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o644);
    try {
      await handle.writeFile(body, 'utf8');
      // On disk before the rename: otherwise a power cut could leave an empty file under the real name.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new CheckpointFileError(path, `cannot write the checkpoint file ${path}: ${(error as Error).message}`, error);
  }
}
