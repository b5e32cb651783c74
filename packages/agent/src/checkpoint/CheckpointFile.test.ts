import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointFile, type CheckpointState } from './CheckpointFile';
import { CheckpointFileError } from './CheckpointFileError';

describe('CheckpointFile', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'kt-checkpoint-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const state: CheckpointState = {
    streamName: 'logs',
    files: [{ path: '/var/log/a.log', dev: '2049', ino: '18446744073709551615', offset: 120, headLength: 5, headSha256: 'ab' }],
  };

  it('is undefined before the first save, and round-trips a state (inode numbers beyond 2^53 intact)', async () => {
    const file = new CheckpointFile(join(dir, 'cp.json'));
    expect(await file.load()).toBeUndefined();
    await file.save(state);
    expect(await file.load()).toEqual(state);
  });

  it('replaces the file by rename, leaving no temporary file behind', async () => {
    const file = new CheckpointFile(join(dir, 'cp.json'));
    await file.save(state);
    await file.save({ ...state, files: [] });
    expect(await readdir(dir)).toEqual(['cp.json']);
    expect(JSON.parse(await readFile(join(dir, 'cp.json'), 'utf8'))).toMatchObject({ version: 1, streamName: 'logs', files: [] });
  });

  it('rejects a file that is not a checkpoint file, saying what to do', async () => {
    const path = join(dir, 'cp.json');
    for (const body of ['not json', '[]', '{"version":2,"streamName":"s","files":[]}', '{"version":1,"streamName":"s","files":[{"path":"p"}]}']) {
      await writeFile(path, body);
      await expect(new CheckpointFile(path).load()).rejects.toThrow(CheckpointFileError);
    }
    await expect(new CheckpointFile(path).load()).rejects.toThrow(/Fix or delete it, or pass another --checkpoint-file/);
  });

  it('fails a save it cannot write with a typed error', async () => {
    await expect(new CheckpointFile(join(dir, 'missing-dir', 'cp.json')).save(state)).rejects.toMatchObject({ code: 'CheckpointFileUnusable' });
  });
});
