import { resolveClientConfigOptions, type ClientConfigOptions } from '../aws/clientConfig';
import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/core';
import { rejectUnknownOptions, requireInteger, requireNumber, requireObject, requireOneOf, requireString, withoutUndefined } from '@kinesis-toolkit/core';
import { requireLogger } from '@kinesis-toolkit/core';

/** Options of {@link startKinesisMock}; every field is optional. */
export interface KinesisMockOptions {
  /**
   * Which of kinesis-mock's two ports the returned client and `endpoint` use: its plain HTTP port
   * or its TLS port (self-signed certificate, trusted by the returned client only). @defaultValue `'http'`
   */
  readonly protocol?: 'http' | 'https';
  /** kinesis-mock's limit on open shards (`SHARD_LIMIT`). @defaultValue 1000 */
  readonly shardLimit?: number;
  /** kinesis-mock's `LOG_LEVEL`; its output goes to the logger at debug level. @defaultValue `'WARN'` */
  readonly logLevel?: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
  /** More kinesis-mock settings (see its README), e.g. `{ INITIALIZE_STREAMS: 'a:2' }`; they win over ours. @defaultValue `{}` */
  readonly env?: Readonly<Record<string, string>>;
  /** How long kinesis-mock may take to answer its first request. @defaultValue 30000 */
  readonly startTimeoutMs?: number;
  /** How many times to start it afresh (new ports) when a start fails. @defaultValue 3 */
  readonly startAttempts?: number;
  /** Options of the returned client. @defaultValue `{}` */
  readonly clientOptions?: ClientConfigOptions;
  /** Receives kinesis-mock's output (debug) and start/stop events (info). @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link KinesisMockOptions}. */
export const KINESIS_MOCK_DEFAULTS = Object.freeze({
  protocol: 'http' as 'http' | 'https',
  shardLimit: 1_000,
  logLevel: 'WARN' as NonNullable<KinesisMockOptions['logLevel']>,
  env: Object.freeze({}) as Readonly<Record<string, string>>,
  startTimeoutMs: 30_000,
  startAttempts: 3,
  clientOptions: Object.freeze({}) as ClientConfigOptions,
  logger: NOOP_LOGGER,
});

/** {@link KinesisMockOptions} with every default applied. */
export type ResolvedKinesisMockOptions = Readonly<Required<KinesisMockOptions>>;

/**
 * Applies {@link KINESIS_MOCK_DEFAULTS} and validates.
 * @throws InvalidArgumentError naming the option, what was expected and what came.
 */
export function resolveKinesisMockOptions(options: KinesisMockOptions = {}): ResolvedKinesisMockOptions {
  requireObject('options', options);
  rejectUnknownOptions('', options, Object.keys(KINESIS_MOCK_DEFAULTS));
  const resolved = { ...KINESIS_MOCK_DEFAULTS, ...withoutUndefined(options) };
  requireOneOf('protocol', resolved.protocol, ['http', 'https']);
  requireOneOf('logLevel', resolved.logLevel, ['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE']);
  requireInteger('shardLimit', resolved.shardLimit, 1);
  requireObject('env', resolved.env);
  for (const [name, value] of Object.entries(resolved.env)) requireString(`env.${name}`, value, { minLength: 0, expected: 'a string' });
  requireNumber('startTimeoutMs', resolved.startTimeoutMs, 1);
  requireInteger('startAttempts', resolved.startAttempts, 1);
  resolveClientConfigOptions(resolved.clientOptions, 'clientOptions');
  requireLogger('logger', resolved.logger);
  return Object.freeze(resolved);
}
