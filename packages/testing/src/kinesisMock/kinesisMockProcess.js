'use strict';
// Runs kinesis-mock (the kinesis-local package, a Scala.js build) inside a child process that
// is tied to its parent by IPC, so that it exits when the parent stops it or dies. kinesis-mock
// reads its settings from the environment the parent gives this process; it starts serving
// some time after the require below, and the parent polls its port until it answers.
const { runChild } = require('../process/childRuntime.js');

// kinesis-mock's runtime (a cats-effect IOApp) replaces process.exit with a graceful exit that
// waits for open requests, such as SubscribeToShard streams, to wind down: seconds. It holds
// nothing that outlives the process (no data files), so keep the real exit for stopping.
const exitNow = process.exit.bind(process);

runChild(async (config) => {
  require(config.main);
  return {
    info: {},
    stop: async () => exitNow(0),
  };
});
