'use strict';
// The child side of ChildServer, shared by the server entry scripts beside it. These scripts are
// plain CommonJS (not TypeScript) so that `node` can run them as they are, both from src/ under
// jest and from dist/ once published.
//
// Protocol over the IPC channel: the parent passes a JSON config as argv[2]; the child replies
// { type: 'ready', ...info } or { type: 'failed', message }; the parent sends { type: 'stop' }.
// When the channel closes without a stop (the parent died, even by SIGKILL) the child cleans up
// and exits too, so no emulator outlives the test run that started it.

const STOP_TIMEOUT_MS = 10000;

/**
 * Runs a server in this child process.
 * @param {(config: any) => Promise<{ info: object, stop: () => Promise<void> }>} start
 */
function runChild(start) {
  if (typeof process.send !== 'function') {
    process.stderr.write('this script is started by @kinesis-toolkit/testing through an IPC channel\n');
    process.exit(2);
  }
  // When the parent dies, its ends of our stdout and stderr pipes go too, and the next write
  // fails with EPIPE; unhandled, that error would end this process before it cleans up.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const config = JSON.parse(process.argv[2] || '{}');
  const started = Promise.resolve().then(() => start(config));
  let stopping = false;

  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    // A server that hangs on stop must not keep the child alive forever.
    setTimeout(() => process.exit(3), STOP_TIMEOUT_MS).unref();
    let exitCode = 0;
    try {
      // Wait for a start still in progress, so that what it starts is stopped too.
      const server = await started.catch(() => undefined);
      if (server) await server.stop();
    } catch (error) {
      process.stderr.write(`stop failed: ${error && error.stack ? error.stack : error}\n`);
      exitCode = 1;
    }
    process.exit(exitCode);
  };

  process.on('message', (message) => {
    if (message && message.type === 'stop') void shutdown();
  });
  process.on('disconnect', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());

  started.then(
    (server) => {
      if (!stopping && process.connected) process.send({ type: 'ready', ...server.info });
    },
    (error) => {
      const message = error && error.stack ? error.stack : String(error);
      if (!process.connected) process.exit(1);
      process.send({ type: 'failed', message }, () => process.exit(1));
    },
  );
}

module.exports = { runChild };
