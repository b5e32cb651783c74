#!/usr/bin/env node
import { main } from './main';

// Ctrl-C / SIGTERM → the running command's signal fires; it shuts down gracefully. A second
// Ctrl-C exits at once.
const controller = new AbortController();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort();
  });
}

main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`kinesis-toolkit: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
