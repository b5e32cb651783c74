import { mkdir, mkdtemp, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GlobLister } from './GlobLister';

describe('GlobLister', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'kt-glob-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const paths = async (globs: string[], cwd = dir) => (await new GlobLister(globs, cwd).list()).files.map((f) => f.path).sort();

  it('lists regular files matching a pattern, relative to the working directory', async () => {
    await writeFile(join(dir, 'a.log'), 'x');
    await writeFile(join(dir, 'b.log'), 'xy');
    await writeFile(join(dir, 'c.txt'), '');
    await mkdir(join(dir, 'd.log'));
    expect(await paths(['*.log'])).toEqual([join(dir, 'a.log'), join(dir, 'b.log')]);
    const [a] = (await new GlobLister([join(dir, 'a.log')], '/').list()).files;
    const stats = await stat(join(dir, 'a.log'), { bigint: true });
    expect(a).toEqual({ path: join(dir, 'a.log'), dev: stats.dev.toString(), ino: stats.ino.toString(), size: 1 });
  });

  it('walks subdirectories for ** and lists a file matched twice (or by a link) once', async () => {
    await mkdir(join(dir, 'x', 'y'), { recursive: true });
    await writeFile(join(dir, 'x', 'y', 'deep.log'), '');
    await symlink(join(dir, 'x', 'y', 'deep.log'), join(dir, 'link.log'));
    expect(await paths(['**/*.log', 'x/y/deep.log'])).toHaveLength(1);
  });

  it('sees a renamed file under its new name with the same inode', async () => {
    await writeFile(join(dir, 'app.log'), 'x');
    const before = (await new GlobLister(['app.log*'], dir).list()).files[0]!;
    await rename(join(dir, 'app.log'), join(dir, 'app.log.1'));
    const after = (await new GlobLister(['app.log*'], dir).list()).files[0]!;
    expect(after.path).toBe(join(dir, 'app.log.1'));
    expect([after.dev, after.ino]).toEqual([before.dev, before.ino]);
  });

  it('lists nothing, without a problem, for a directory or file that does not exist yet', async () => {
    expect(await new GlobLister(['later/*.log', 'missing.log'], dir).list()).toEqual({ files: [], problems: [] });
  });

  it('tells a literal path from a pattern', () => {
    expect(GlobLister.isLiteral('/var/log/app.log')).toBe(true);
    expect(GlobLister.isLiteral('/var/log/*.log')).toBe(false);
    expect(GlobLister.isLiteral('app-{a,b}.log')).toBe(false);
  });
});
