#!/usr/bin/env node
import { invocationDirectory } from './invocationDirectory';
import { main } from './main';

// The SDK's warning that its 2027 releases will need Node 22 is eight lines of stderr on every
// run that a CLI user cannot act on; `=false` in the environment brings it back.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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

// `kinesis-toolkit consume … | head` closes our stdout early: that is the reader being done,
// not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: invocationDirectory(process.env, process.cwd()),
  signal: controller.signal,
}).then(
  (code) => exitAfterOutput(code),
  (error: unknown) => {
    process.stderr.write(`kinesis-toolkit: ${String(error)}\n`);
    exitAfterOutput(1);
  },
);

/**
 * Exits once stdout and stderr have taken everything written. The command has finished and
 * released what it owns; exiting explicitly keeps a stray handle (an SDK keep-alive socket, a
 * stdin reader) from holding the process open after the work is done.
 */
function exitAfterOutput(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
