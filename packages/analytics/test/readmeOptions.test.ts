// The README's option table must match APPLICATION_DEFAULTS.
import { join } from 'node:path';
import { readMarkdownTable } from '../../../test/markdownTable';
import { APPLICATION_DEFAULTS } from '../src/runtime/ApplicationOptions';

const described: Record<string, string> = { logger: 'no-op', clock: 'system clock', wallClock: 'Date.now' };

describe('analytics README', () => {
  it('Options match APPLICATION_DEFAULTS', () => {
    const documented = Object.fromEntries(readMarkdownTable(join(__dirname, '..', 'README.md'), 'Options').map((row) => [row.option, row.default]));
    const expected = Object.fromEntries(Object.entries(APPLICATION_DEFAULTS).map(([key, value]) => [key, described[key] ?? (typeof value === 'object' ? JSON.stringify(value) : String(value))]));
    expect(documented).toEqual(expected);
  });
});
