import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt } from './support/assertBuilt';

// Every ```ts snippet of every README compiles under `strict`, against the built packages' types,
// as a user would paste it into a module of their own. (Integration project: it needs the build.)

const root = join(__dirname, '..');
const readmes = ['README.md', ...readdirSync(join(root, 'packages')).map((folder) => join('packages', folder, 'README.md')).filter((file) => existsSync(join(root, file)))];

/** Every ```ts block of a markdown file, with the line it starts on. */
function snippets(file: string): { line: number; code: string }[] {
  const found: { line: number; code: string }[] = [];
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const start = i + 1;
    const body: string[] = [];
    for (i = start; i < lines.length && lines[i]!.trim() !== '```'; i++) body.push(lines[i]!);
    found.push({ line: start, code: body.join('\n') });
  }
  return found;
}

describe('README snippets', () => {
  it('every ```ts snippet compiles under strict, each as a module of its own', () => {
    assertBuilt(['core', 'wire', 'aggregation', 'kpl', 'kcl', 'connector', 'analytics', 'testing', 'cli'], 'the README snippet check (it compiles against dist types)');
    // Inside the repository, so that @kinesis-toolkit/* and the AWS SDK resolve as in a user's project.
    const dir = mkdtempSync(join(root, 'test', '.snippets-'));
    try {
      const files: Record<string, string> = {};
      for (const readme of readmes) {
        for (const { line, code } of snippets(readme)) {
          const name = `${readme.replace(/[/.]/g, '_')}_${line}.ts`;
          files[name] = `${readme}:${line}`;
          writeFileSync(join(dir, name), `${code}\nexport {};\n`);
        }
      }
      expect(Object.keys(files).length).toBeGreaterThan(20);
      // ES modules, as most new code is (top-level await); the packages are CommonJS with types, as published.
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'node16', moduleResolution: 'node16', types: ['node', 'jest'], skipLibCheck: true, noUnusedLocals: false },
          files: Object.keys(files),
        }),
      );
      const result = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
      // Errors name the README and the line of its snippet, not the temporary file.
      const errors = (result.stdout + result.stderr)
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => line.replace(/^(?:.*[/\\])?([A-Za-z0-9_]+\.ts)\((\d+),(\d+)\)/, (_whole, name: string, row: string) => `${files[name] ?? name} (+${Number(row) - 1})`));
      expect(errors).toEqual([]);
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
