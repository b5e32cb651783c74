import { APPLICATION_DEFAULTS, resolveApplicationOptions } from './ApplicationOptions';

const base = { sql: 'CREATE STREAM s (a INT);', inputSchema: { RecordFormat: { RecordFormatType: 'JSON' as const }, RecordColumns: [] }, outputs: {} };

describe('resolveApplicationOptions', () => {
  it('fills every default', () => {
    expect(resolveApplicationOptions(base)).toEqual({ ...APPLICATION_DEFAULTS, ...base });
  });

  it.each([
    [{ idleWindowCloseMs: -1 }, 'idleWindowCloseMs: expected an integer'],
    [{ rowtime: 'event' }, 'rowtime: expected one of "arrival", "processing", got "event"'],
    [{ outputs: { DESTINATION_SQL_STREAM: {} } }, 'outputs.DESTINATION_SQL_STREAM.write: expected a function'],
    [{ idleWindowClose: 5 }, 'idleWindowClose'],
  ])('rejects %j saying what was expected and what came', (override, message) => {
    expect(() => resolveApplicationOptions({ ...base, ...(override as object) })).toThrow(message);
  });
});
