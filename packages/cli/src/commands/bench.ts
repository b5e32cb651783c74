import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../CliError';
import type { Command, CommandContext } from '../CommandContext';
import { parseFlags, stringFlag } from '../parseFlags';

const FLAGS = {
  'no-build': { type: 'boolean' },
  repo: { type: 'string' },
} as const;

const USAGE = `Usage: kinesis-toolkit bench [FILTER...] [--no-build] [--repo DIR]

Runs the package benchmarks (packages/*/bench/*.bench.ts, one at a time) and prints their
comparison tables — the same as \`npm run bench -- FILTER\`. It needs a source checkout of
kinesis-toolkit (an installed package has no benchmarks): the repository is looked for from the
current directory upwards, then from where this command is installed.

Arguments:
  FILTER           run only the bench files whose path contains one of these (e.g. kpl,
                   aggregation); default: all

Flags:
  --no-build       skip building the packages first (the benchmarks load their dist/)
  --repo DIR       the checkout to use
`;

/** `kinesis-toolkit bench`: the repository's benchmarks, output passed through. */
export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the package benchmarks and print their comparison tables (source checkout)',
  usage: USAGE,
  run: runBench,
};

async function runBench(context: CommandContext): Promise<number> {
  const { values, positionals } = parseFlags('bench', context.argv, FLAGS, true);
  const given = stringFlag(values, 'repo');
  const root = given !== undefined ? checkout(resolve(context.cwd, given)) : (findCheckout(context.cwd) ?? findCheckout(__dirname));
  if (root === undefined) {
    throw new CliError(
      given !== undefined
        ? `--repo ${given} is not a kinesis-toolkit checkout (no scripts/bench.js next to a package.json named "kinesis-toolkit").`
        : 'bench runs the benchmarks of a kinesis-toolkit source checkout, and none was found here or above — cd into one, or pass --repo DIR.',
    );
  }
  if (values['no-build'] !== true) {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    if (!existsSync(tsc)) throw new CliError(`cannot build: ${tsc} is missing — run \`npm install\` in ${root}, or pass --no-build.`, 1);
    const buildCode = await passThrough(context, root, [tsc, '-b', ...buildConfigs(root)]);
    if (buildCode !== 0) {
      context.stderr.write(`kinesis-toolkit bench: the build failed (exit code ${buildCode}); fix it or pass --no-build.\n`);
      return buildCode;
    }
  }
  return passThrough(context, root, [join(root, 'scripts', 'bench.js'), ...positionals]);
}

/** `dir` when it is a kinesis-toolkit checkout with the bench script. */
function checkout(dir: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return manifest.name === 'kinesis-toolkit' && existsSync(join(dir, 'scripts', 'bench.js')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

function findCheckout(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const found = checkout(dir);
    if (found !== undefined) return found;
    if (dirname(dir) === dir) return undefined;
  }
}

/** What `npm run build` builds: every package's tsconfig.build.json. */
function buildConfigs(root: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: unknown };
  const workspaces = Array.isArray(manifest.workspaces) ? manifest.workspaces.filter((w): w is string => typeof w === 'string') : [];
  return workspaces.map((workspace) => join(root, workspace, 'tsconfig.build.json')).filter((config) => existsSync(config));
}

/**
 * Runs `node ...args` in `root` with its output copied to ours as it comes; Ctrl-C is passed on
 * (SIGINT) and the child's exit code is ours.
 */
function passThrough(context: CommandContext, root: string, args: readonly string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: context.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(context.stdout, { end: false });
    child.stderr.pipe(context.stderr, { end: false });
    const onAbort = () => child.kill('SIGINT');
    context.signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => {
      context.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.once('close', (code, signal) => {
      context.signal.removeEventListener('abort', onAbort);
      resolvePromise(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}
