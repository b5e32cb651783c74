#!/usr/bin/env node
/**
 * Runs the benchmarks: every `packages/<package>/bench/<name>.bench.ts`, one at a time (they
 * measure, so they must not share the CPU), each in its own node process with ts-node
 * (transpile-only, tsconfig.bench.json) and `--expose-gc`. Output is streamed as it comes.
 * Exits non-zero when any benchmark fails; performance targets never fail it.
 *
 *   npm run bench                  # all benchmarks (builds first)
 *   npm run bench -- aggregation   # only those whose path contains "aggregation"
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const PACKAGES_DIR = path.join(ROOT, 'packages');
const TS_NODE_PROJECT = path.join(ROOT, 'tsconfig.bench.json');
const BENCH_SUFFIX = '.bench.ts';

/** Every bench file, as paths relative to the root, sorted. */
function findBenchFiles() {
  const files = [];
  for (const pkg of fs.readdirSync(PACKAGES_DIR).sort()) {
    const benchDir = path.join(PACKAGES_DIR, pkg, 'bench');
    if (!fs.existsSync(benchDir)) continue;
    for (const name of fs.readdirSync(benchDir).sort()) {
      if (name.endsWith(BENCH_SUFFIX)) files.push(path.relative(ROOT, path.join(benchDir, name)));
    }
  }
  return files;
}

/** Runs one bench file in a child process; resolves with its outcome. */
function runBench(file, env) {
  const args = ['--expose-gc', '-r', require.resolve('ts-node/register/transpile-only', { paths: [ROOT] }), file];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.on('error', (error) => resolve({ file, ok: false, detail: error.message, seconds: 0 }));
    child.on('exit', (code, signal) => {
      const seconds = (Date.now() - started) / 1000;
      const detail = signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve({ file, ok: code === 0, detail, seconds });
    });
  });
}

async function main() {
  const filters = process.argv.slice(2);
  const all = findBenchFiles();
  const selected = filters.length === 0 ? all : all.filter((file) => filters.some((filter) => file.includes(filter)));
  if (selected.length === 0) {
    console.error(filters.length === 0 ? 'bench: no packages/*/bench/*.bench.ts found' : `bench: nothing matches ${filters.join(', ')} (have: ${all.join(', ') || 'none'})`);
    process.exitCode = 1;
    return;
  }

  const env = { ...process.env, TS_NODE_PROJECT };
  const results = [];
  for (const file of selected) {
    console.log(`\n=== ${file} ===`);
    results.push(await runBench(file, env));
  }

  console.log('\n=== summary ===');
  for (const { file, ok, detail, seconds } of results) {
    console.log(`${ok ? 'ok    ' : 'FAILED'}  ${file}  (${seconds.toFixed(1)} s${ok ? '' : `, ${detail}`})`);
  }
  if (results.some((result) => !result.ok)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
