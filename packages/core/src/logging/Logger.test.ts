import pino from 'pino';
import { Writable } from 'node:stream';
import { createLogger } from './createLogger';
import { NOOP_LOGGER, type Logger } from './Logger';
import { REDACTED, redact } from './redact';
import { InvalidArgumentError } from '../errors/InvalidArgumentError';

const FIXED = new Date('2026-12-06T12:00:00.000Z');

describe('createLogger', () => {
  it('writes JSON lines at or above its level, with bindings of every child', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line), now: () => FIXED, bindings: { component: 'kcl' } });
    const shard = logger.child({ shardId: 'shardId-1' }).child({ workerId: 'w1' });
    shard.debug({ dropped: true }, 'not written');
    shard.warn({ attempt: 2 }, 'retrying');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { time: '2026-12-06T12:00:00.000Z', level: 'warn', msg: 'retrying', component: 'kcl', shardId: 'shardId-1', workerId: 'w1', attempt: 2 },
    ]);
  });

  it('writes pretty lines for people', () => {
    const lines: string[] = [];
    createLogger({ format: 'pretty', level: 'debug', write: (line) => lines.push(line), now: () => FIXED }).debug({ shardId: 'shardId-1', note: 'two words' }, 'took lease');
    expect(lines).toEqual(['2026-12-06T12:00:00.000Z DEBUG took lease shardId=shardId-1 note="two words"']);
  });

  it('never writes secrets or credentials, at any depth', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line) });
    logger.info(
      { credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalr' }, config: { sessionToken: 'tok', region: 'eu-west-1' }, password: 'pw' },
      'client built',
    );
    const written = lines.join('\n');
    for (const secret of ['AKIAEXAMPLE', 'wJalr', 'tok"', '"pw"']) expect(written).not.toContain(secret);
    expect(JSON.parse(lines[0] as string).config).toEqual({ sessionToken: REDACTED, region: 'eu-west-1' });
  });

  it('writes errors as name, message, code and cause', () => {
    const error = new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ECONNRESET' }) });
    expect(redact({ error })).toEqual({ error: { name: 'Error', message: 'outer', cause: { name: 'Error', message: 'inner', code: 'ECONNRESET' } } });
  });

  it('rejects a bad level or format with the option named', () => {
    expect(() => createLogger({ level: 'verbose' as never })).toThrow(new InvalidArgumentError('level', 'one of "debug", "info", "warn", "error"', 'verbose').message);
    expect(() => createLogger({ format: 'xml' as never })).toThrow('format: expected one of "json", "pretty", got "xml"');
  });
});

describe('Logger shape', () => {
  it('is satisfied by a pino logger as is, children included', () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const logger: Logger = pino({ level: 'debug' }, sink); // a type error here means pino no longer fits
    logger.child({ shardId: 'shardId-7' }).info({ records: 3 }, 'processed');
    const line = JSON.parse(chunks[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({ shardId: 'shardId-7', records: 3, msg: 'processed' });
  });

  it('the no-op logger drops everything, children too', () => {
    expect(NOOP_LOGGER.child({ a: 1 })).toBe(NOOP_LOGGER);
    expect(() => NOOP_LOGGER.error({}, 'x')).not.toThrow();
  });
});
