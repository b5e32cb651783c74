import { resolveClientConfigOptions, type ClientConfigOptions } from '../aws/clientConfig';
import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/core';
import { rejectUnknownOptions, requireInteger, requireNumber, requireObject, requireString, withoutUndefined } from '@kinesis-toolkit/core';
import { requireLogger } from '@kinesis-toolkit/core';

/** Options of {@link startLocalStack}; every field is optional. */
export interface LocalStackOptions {
  /** The loopback address the emulators listen on. @defaultValue `'127.0.0.1'` */
  readonly host?: string;
  /** kinesalite's limit on open shards, summed over all streams. @defaultValue 10000 */
  readonly shardLimit?: number;
  /** How long the S3 emulator's child process may take to report ready. @defaultValue 15000 */
  readonly startTimeoutMs?: number;
  /** Options of the clients in the returned stack. @defaultValue `{}` (see {@link CLIENT_CONFIG_DEFAULTS}) */
  readonly clientOptions?: ClientConfigOptions;
  /** Receives the S3 emulator's output (debug) and start/stop events (info). @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link LocalStackOptions}, in one place. */
export const LOCAL_STACK_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  shardLimit: 10_000,
  startTimeoutMs: 15_000,
  clientOptions: Object.freeze({}) as ClientConfigOptions,
  logger: NOOP_LOGGER,
});

/** {@link LocalStackOptions} with every default applied. */
export type ResolvedLocalStackOptions = Readonly<Required<LocalStackOptions>>;

/**
 * Applies {@link LOCAL_STACK_DEFAULTS} and validates.
 * @throws InvalidArgumentError naming the option, what was expected and what came.
 */
export function resolveLocalStackOptions(options: LocalStackOptions = {}): ResolvedLocalStackOptions {
  requireObject('options', options);
  rejectUnknownOptions('', options, Object.keys(LOCAL_STACK_DEFAULTS));
  const resolved = { ...LOCAL_STACK_DEFAULTS, ...withoutUndefined(options) };
  requireString('host', resolved.host);
  requireInteger('shardLimit', resolved.shardLimit, 1);
  requireNumber('startTimeoutMs', resolved.startTimeoutMs, 1);
  resolveClientConfigOptions(resolved.clientOptions, 'clientOptions');
  requireLogger('logger', resolved.logger);
  return Object.freeze(resolved);
}
