import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { waitFor } from '../helpers/waitFor';
import { findFreePort } from '../net/findFreePort';
import { POSTGRES_DEFAULTS, startPostgres, type PostgresServer } from './startPostgres';

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function postgresDirectories(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('kt-postgres-'));
}

describe('startPostgres', () => {
  let server: PostgresServer;
  let directory: string;

  beforeAll(async () => {
    const before = postgresDirectories();
    server = await startPostgres({ database: 'connector_test' });
    directory = postgresDirectories().find((name) => !before.includes(name))!;
  });
  afterAll(() => server?.stop());

  it('serves queries on a loopback port, in the requested database', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.connectionString).toBe(`postgres://postgres:postgres@127.0.0.1:${server.port}/connector_test`);
    const client = new Client({ connectionString: server.connectionString });
    await client.connect();
    try {
      const { rows } = await client.query<{ database: string; version: string }>(
        'SELECT current_database() AS database, version() AS version',
      );
      expect(rows[0]?.database).toBe('connector_test');
      expect(rows[0]?.version).toMatch(/^PostgreSQL 18\./);

      await client.query('CREATE TABLE checkpoints (shard_id text PRIMARY KEY, sequence_number numeric NOT NULL)');
      await client.query('INSERT INTO checkpoints VALUES ($1, $2)', ['shardId-000000000000', '49590338271490256608559692538361571095921575989136588898']);
      const stored = await client.query<{ sequence_number: string }>('SELECT sequence_number FROM checkpoints WHERE shard_id = $1', [
        'shardId-000000000000',
      ]);
      expect(stored.rows).toEqual([{ sequence_number: '49590338271490256608559692538361571095921575989136588898' }]);
    } finally {
      await client.end();
    }
  });

  it('checks the password', async () => {
    const client = new Client({ host: server.host, port: server.port, user: 'postgres', password: 'wrong', database: 'postgres' });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('stops: the port refuses connections and the data directory is removed', async () => {
    const before = postgresDirectories();
    const own = await startPostgres();
    const ownDirectory = postgresDirectories().find((name) => !before.includes(name));
    expect(ownDirectory).toBeDefined();
    await own.stop();
    await own.stop();
    const client = new Client({ connectionString: own.connectionString, connectionTimeoutMillis: 2_000 });
    await expect(client.connect()).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(join(tmpdir(), ownDirectory!))).toBe(false);
    // The other server is untouched.
    expect(existsSync(join(tmpdir(), directory))).toBe(true);
  });

  it('stops PostgreSQL and removes its files when the process that started it is killed', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kt-postgres-'));
    chmodSync(directory, 0o755);
    const port = await findFreePort();
    const config = {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password: 'postgres',
      database: 'postgres',
      createPostgresUser: POSTGRES_DEFAULTS.createPostgresUser,
      dataDirectory: join(directory, 'data'),
      removeOnStop: directory,
    };
    // A parent that forks the server script as startPostgres does (output piped to it), says
    // when it is ready, then idles until killed.
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const { fork } = require('node:child_process');
         const server = fork(${JSON.stringify(join(__dirname, 'postgresProcess.js'))}, [${JSON.stringify(JSON.stringify(config))}], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
         server.stdout.resume();
         server.stderr.resume();
         server.on('message', (m) => process.send(m));
         setInterval(() => undefined, 1000);`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    );
    await new Promise<void>((resolve, reject) => {
      parent.once('message', (m: { type: string }) => (m.type === 'ready' ? resolve() : reject(new Error(JSON.stringify(m)))));
      parent.once('exit', (code) => reject(new Error(`the parent exited early with code ${String(code)}`)));
    });
    expect(await isListening(port)).toBe(true);
    parent.kill('SIGKILL');
    await waitFor(async () => !(await isListening(port)) && !existsSync(directory), {
      timeoutMs: 10_000,
      description: 'postgres to stop and its directory to go',
    });
  });
});
