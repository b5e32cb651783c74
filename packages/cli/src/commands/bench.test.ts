import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryContext } from '../../test/memoryContext';
import { main } from '../main';

/** A directory that looks like a kinesis-toolkit checkout, whose bench script and "tsc" report what they were asked. */
function fakeCheckout(): string {
  const root = mkdtempSync(join(tmpdir(), 'kt-bench-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'kinesis-toolkit', workspaces: ['packages/a', 'packages/b'] }));
  mkdirSync(join(root, 'scripts'));
  writeFileSync(
    join(root, 'scripts', 'bench.js'),
    "console.log('bench args: ' + JSON.stringify(process.argv.slice(2))); console.error('bench stderr'); process.exitCode = process.argv.includes('failing') ? 3 : 0;\n",
  );
  for (const pkg of ['a', 'b']) {
    mkdirSync(join(root, 'packages', pkg), { recursive: true });
    writeFileSync(join(root, 'packages', pkg, 'tsconfig.build.json'), '{}');
  }
  mkdirSync(join(root, 'node_modules', 'typescript', 'bin'), { recursive: true });
  writeFileSync(
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    "const path = require('node:path'); console.log('tsc ' + process.argv.slice(2).map((a) => path.isAbsolute(a) ? path.relative(process.cwd(), a) : a).join(' ')); process.exitCode = process.env.FAIL_BUILD ? 2 : 0;\n",
  );
  return root;
}

describe('bench', () => {
  let root: string;
  beforeEach(() => (root = fakeCheckout()));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the checkout from the current directory, builds every workspace, runs scripts/bench.js with the filters and passes output and exit code through', async () => {
    const context = memoryContext({ cwd: join(root, 'packages', 'a'), env: { PATH: process.env.PATH } });
    expect(await main(['bench', 'kpl', 'failing'], context)).toBe(3);
    expect(context.stdoutText()).toBe('tsc -b packages/a/tsconfig.build.json packages/b/tsconfig.build.json\nbench args: ["kpl","failing"]\n');
    expect(context.stderrText()).toBe('bench stderr\n');
  });

  it('skips the build with --no-build; --repo picks the checkout', async () => {
    const context = memoryContext({ cwd: tmpdir(), env: {} });
    expect(await main(['bench', '--no-build', '--repo', root], context)).toBe(0);
    expect(context.stdoutText()).toBe('bench args: []\n');
  });

  it('stops when the build fails, saying so on one line', async () => {
    const context = memoryContext({ cwd: root, env: { FAIL_BUILD: '1' } });
    expect(await main(['bench'], context)).toBe(2);
    expect(context.stdoutText()).not.toContain('bench args');
    expect(context.stderrText()).toBe('kinesis-toolkit bench: the build failed (exit code 2); fix it or pass --no-build.\n');
  });

  it('says in one line that --repo is not a checkout', async () => {
    const context = memoryContext();
    expect(await main(['bench', '--repo', join(root, 'packages')], context)).toBe(2);
    expect(context.stderrText()).toBe(
      `kinesis-toolkit bench: --repo ${join(root, 'packages')} is not a kinesis-toolkit checkout (no scripts/bench.js next to a package.json named "kinesis-toolkit").\n`,
    );
  });
});
