import type { Writable } from 'node:stream';
import { LOG_LEVELS, createLogger, type LogLevel, type Logger } from '@kinesis-toolkit/core';
import { CliError } from '../CliError';
import { stringFlag, type ParsedFlags } from '../parseFlags';

/** The logging flags of every long-running command. */
export const LOG_FLAGS = {
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
} as const;

/** Help text for {@link LOG_FLAGS}. */
export const LOG_FLAGS_USAGE = `Logging (on stderr):
  --log-level L            debug | info | warn | error (default warn)
  --log-format F           pretty (default: one readable line) | json (one JSON object per line)
Fields that look like secrets (keys, tokens, passwords, credentials) are written as [redacted].`;

/** The log formats of {@link LOG_FLAGS}. */
export const LOG_FORMATS = ['pretty', 'json'] as const;

/** What the logging flags ask for (checked, with the defaults filled in). */
export interface LogSettings {
  readonly level: LogLevel;
  readonly format: (typeof LOG_FORMATS)[number];
}

/**
 * Reads `--log-level` and `--log-format`.
 * @throws CliError (exit code 2) naming the flag, what it takes and what came.
 */
export function logSettingsFromFlags(command: string, values: ParsedFlags['values'], defaults: Partial<LogSettings> = {}): LogSettings {
  const level = stringFlag(values, 'log-level') ?? defaults.level ?? 'warn';
  const format = stringFlag(values, 'log-format') ?? defaults.format ?? 'pretty';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new CliError(`--log-level: expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}. Run \`kinesis-toolkit ${command} --help\` for the flags.`);
  }
  if (!(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new CliError(`--log-format: expected one of ${LOG_FORMATS.join(', ')}, got ${JSON.stringify(format)}. Run \`kinesis-toolkit ${command} --help\` for the flags.`);
  }
  return { level: level as LogLevel, format: format as LogSettings['format'] };
}

/** The command's logger: core's `createLogger` writing to `stderr`, every line bound to the command. */
export function cliLogger(command: string, settings: LogSettings, stderr: Writable): Logger {
  return createLogger({ level: settings.level, format: settings.format, write: (line) => void stderr.write(`${line}\n`), bindings: { command } });
}
