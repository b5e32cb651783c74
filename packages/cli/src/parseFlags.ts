import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './CliError';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseFlags} returns: the flag values by long name, and the positional arguments. */
export interface ParsedFlags {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

/**
 * `util.parseArgs` in strict mode, with its errors turned into one-line `CliError`s (exit code
 * 2) that point at `--help`; `main` prefixes the command's name.
 */
export function parseFlags<O extends Options>(command: string, argv: readonly string[], options: O, allowPositionals = false): ParsedFlags {
  try {
    const { values, positionals } = parseArgs({ args: joinDashValues(argv, options), options, strict: true, allowPositionals });
    return { values: values as ParsedFlags['values'], positionals };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/\.$/, '');
    throw new CliError(`${message}. Run \`kinesis-toolkit ${command} --help\` for the flags.`);
  }
}

/**
 * `--records -5` → `--records=-5`: parseArgs reads a value starting with `-` as another flag and
 * reports the flag as "ambiguous"; a value that is a number (or a lone `-`) is the flag's value,
 * which then gets its own check naming the flag (`--records: expected an integer >= 1, got "-5"`).
 */
function joinDashValues(argv: readonly string[], options: Options): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && !name.includes('=') && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d|$)/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else args.push(arg);
  }
  return args;
}

/** Parses a flag's value as an integer ≥ `min` (or throws a `CliError` naming the flag). */
export function integerFlag(command: string, flag: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(parsed) || parsed < min) {
    throw new CliError(`--${flag} must be an integer ≥ ${min}, got ${JSON.stringify(value)}. Run \`kinesis-toolkit ${command} --help\` for the flags.`);
  }
  return parsed;
}

/** A string flag's value, or undefined; a flag given twice (when not `multiple`) keeps the last. */
export function stringFlag(values: ParsedFlags['values'], flag: string): string | undefined {
  const value = values[flag];
  if (Array.isArray(value)) return value.length === 0 ? undefined : String(value[value.length - 1]);
  return typeof value === 'string' ? value : undefined;
}

/** A `multiple: true` string flag's values (empty when not given). */
export function stringsFlag(values: ParsedFlags['values'], flag: string): string[] {
  const value = values[flag];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
