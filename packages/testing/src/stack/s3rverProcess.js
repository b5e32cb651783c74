'use strict';
// Runs s3rver in its own node process. The parent starts it with --openssl-legacy-provider:
// s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node >= 17) only
// offers through the legacy provider, so paged listings fail in a normal Node process.
const fs = require('node:fs/promises');
const { runChild } = require('../process/childRuntime.js');

runChild(async (config) => {
  const S3rver = require('s3rver');
  const server = new S3rver({
    address: config.host,
    port: 0,
    directory: config.directory,
    silent: true,
    // Path-style requests only: vhost-style needs DNS for bucket.host names.
    vhostBuckets: false,
    resetOnClose: false,
  });
  const address = await server.run();
  return {
    info: { port: address.port },
    // The parent removes the directory too; doing it here covers a parent that died.
    stop: async () => {
      await server.close();
      await fs.rm(config.directory, { recursive: true, force: true });
    },
  };
});
