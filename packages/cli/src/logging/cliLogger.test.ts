import { PassThrough } from 'node:stream';
import { CliError } from '../CliError';
import { parseFlags } from '../parseFlags';
import { LOG_FLAGS, cliLogger, logSettingsFromFlags } from './cliLogger';

function settings(argv: string[]) {
  return logSettingsFromFlags('consume', parseFlags('consume', argv, LOG_FLAGS).values);
}

describe('the logging flags', () => {
  it('default to warn, pretty and take every level and format', () => {
    expect(settings([])).toEqual({ level: 'warn', format: 'pretty' });
    expect(settings(['--log-level', 'debug', '--log-format', 'json'])).toEqual({ level: 'debug', format: 'json' });
  });

  it.each([
    [['--log-level', 'verbose'], '--log-level: expected one of debug, info, warn, error, got "verbose". Run `kinesis-toolkit consume --help` for the flags.'],
    [['--log-format', 'xml'], '--log-format: expected one of pretty, json, got "xml". Run `kinesis-toolkit consume --help` for the flags.'],
  ])('%j is a usage error naming the flag', (argv, message) => {
    expect(() => settings(argv)).toThrow(CliError);
    expect(() => settings(argv)).toThrow(message);
  });

  it('writes JSON lines at the level asked for, bound to the command, with secrets redacted', () => {
    const stderr = new PassThrough();
    const logger = cliLogger('consume', { level: 'info', format: 'json' }, stderr);
    logger.debug({}, 'not written');
    logger.warn({ shardId: 's-1', secretAccessKey: 'AKIA-SECRET', connectionString: 'postgres://u:pw@h/db', password: 'pw' }, 'retrying');
    const lines = String(stderr.read()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'retrying', command: 'consume', shardId: 's-1', secretAccessKey: '[redacted]', password: '[redacted]' });
    expect(JSON.stringify(lines[0])).not.toContain('AKIA-SECRET');
  });
});
