import { CliError } from './CliError';
import { integerFlag, parseFlags, stringFlag, stringsFlag } from './parseFlags';

describe('parseFlags', () => {
  const options = { stream: { type: 'string' }, shard: { type: 'string', multiple: true }, json: { type: 'boolean' } } as const;

  it('parses known flags', () => {
    const { values } = parseFlags('consume', ['--stream', 's', '--shard', 'a', '--shard', 'b', '--json'], options);
    expect(stringFlag(values, 'stream')).toBe('s');
    expect(stringsFlag(values, 'shard')).toEqual(['a', 'b']);
    expect(stringsFlag(values, 'missing')).toEqual([]);
    expect(values.json).toBe(true);
  });

  it('turns an unknown flag into a one-line CliError (exit code 2) that points at --help', () => {
    let caught: unknown;
    try {
      parseFlags('consume', ['--strem', 's'], options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).exitCode).toBe(2);
    expect((caught as CliError).message).toBe("Unknown option '--strem'. Run `kinesis-toolkit consume --help` for the flags.");
  });

  it('rejects positionals unless allowed', () => {
    expect(() => parseFlags('leases', ['extra'], options)).toThrow(/^Unexpected argument 'extra'\. This command does not take positional arguments\. Run `kinesis-toolkit leases --help`/);
    expect(parseFlags('bench', ['kpl'], options, true).positionals).toEqual(['kpl']);
  });

  it('rejects a string flag without a value', () => {
    expect(() => parseFlags('consume', ['--stream'], options)).toThrow(CliError);
  });
});

describe('integerFlag', () => {
  it('returns the fallback when absent and the integer when valid', () => {
    expect(integerFlag('consume', 'limit', undefined, 7)).toBe(7);
    expect(integerFlag('consume', 'limit', '12', 7)).toBe(12);
    expect(integerFlag('consume', 'limit', '0', 7, 0)).toBe(0);
  });

  it.each(['0', '-1', '1.5', 'abc', '', ' '])('rejects %j naming the flag', (value) => {
    expect(() => integerFlag('consume', 'limit', value, 7)).toThrow(
      `--limit must be an integer ≥ 1, got ${JSON.stringify(value)}. Run \`kinesis-toolkit consume --help\` for the flags.`,
    );
  });
});
