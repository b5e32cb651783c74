import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGES = join(__dirname, '..', '..', 'packages');

/**
 * Refuses to test a missing or stale build. Tests that start child processes (worker processes,
 * the CLI binary) run the packages' built `dist/` — what `@kinesis-toolkit/*` resolves to outside
 * jest — so results against an old build would be about other code. Shared by the kcl, connector
 * and cli test suites.
 *
 * @param packages package folder names (`kcl`, `connector`, …)
 * @param who what needs the build, for the message ("the worker child processes")
 * @param buildCommand what to run, for the message
 * @throws Error naming the package and the newer source file
 */
export function assertBuilt(packages: readonly string[], who: string, buildCommand = 'npm run build'): void {
  for (const name of packages) {
    const buildInfo = join(PACKAGES, name, 'dist', '.tsbuildinfo');
    if (!existsSync(join(PACKAGES, name, 'dist', 'index.js')) || !existsSync(buildInfo)) {
      throw new Error(`packages/${name}/dist is missing: ${who} run the built packages. Run \`${buildCommand}\` first.`);
    }
    const newest = newestSource(join(PACKAGES, name, 'src'));
    if (newest.mtimeMs > statSync(buildInfo).mtimeMs) {
      throw new Error(`packages/${name}/dist is older than ${newest.path}: ${who} would run stale code. Run \`${buildCommand}\` first.`);
    }
  }
}

/** The most recently modified source file that goes into the build (tests excluded). */
function newestSource(dir: string): { path: string; mtimeMs: number } {
  let newest = { path: dir, mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'fixtures') continue;
      const inner = newestSource(path);
      if (inner.mtimeMs > newest.mtimeMs) newest = inner;
    } else if (/\.(ts|js)$/.test(entry.name) && !/\.test\.ts$|\.contract\.ts$/.test(entry.name)) {
      const mtimeMs = statSync(path).mtimeMs;
      if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
    }
  }
  return newest;
}
