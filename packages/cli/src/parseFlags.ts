import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './CliError';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `util.parseArgs` in strict mode, with its errors turned into one-line `CliError`s that name
 * the command and point at `--help`.
 */
export function parseFlags<O extends Options>(
  command: string,
  argv: readonly string[],
  options: O,
  allowPositionals = false,
): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals });
    return { values: values as Record<string, string | boolean | (string | boolean)[] | undefined>, positionals };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new CliError(`${command}: ${message}. Run \`kinesis-toolkit ${command} --help\` for the flags.`);
  }
}

/** Parses a flag's value as a positive integer (or throws a `CliError` naming the flag). */
export function integerFlag(command: string, flag: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) {
    throw new CliError(`${command}: --${flag} must be an integer ≥ ${min}, got ${JSON.stringify(value)}.`);
  }
  return parsed;
}
