import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentCheckpointFile } from './AgentCheckpointFile';

const cp = (path: string, offset: number) => ({ path, dev: '1', ino: '2', offset, headLength: 0, headSha256: 'x' });

describe('AgentCheckpointFile', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'kt-agentcp-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps each flow’s checkpoints under its id; concurrent saves of two flows both land', async () => {
    const file = new AgentCheckpointFile(join(dir, 'checkpoints'));
    await Promise.all([file.flow('kinesis:a:/x').save([cp('/x', 10)]), file.flow('fh:b:/y').save([cp('/y', 20)])]);
    const reread = new AgentCheckpointFile(join(dir, 'checkpoints'));
    expect(await reread.flow('kinesis:a:/x').load()).toEqual([cp('/x', 10)]);
    expect(await reread.flow('fh:b:/y').load()).toEqual([cp('/y', 20)]);
    expect(await reread.flow('kinesis:new:/z').load()).toBeUndefined();
    expect(JSON.parse(await readFile(join(dir, 'checkpoints'), 'utf8'))).toMatchObject({ version: 2, flows: { 'kinesis:a:/x': { files: [cp('/x', 10)] } } });
  });

  it('refuses a file that is not an agent checkpoint file, naming it', async () => {
    await writeFile(join(dir, 'checkpoints'), JSON.stringify({ version: 1, streamName: 's', files: [] }));
    await expect(new AgentCheckpointFile(join(dir, 'checkpoints')).flow('f').load()).rejects.toMatchObject({ code: 'CheckpointFileUnusable', message: expect.stringMatching(/is not a kinesis-toolkit agent checkpoint file: expected \{"version": 2/) });
  });
});
