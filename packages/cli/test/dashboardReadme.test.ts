import { join } from 'node:path';
import { readMarkdownTable } from '../../../test/markdownTable';
import { DASHBOARD_DEFAULTS } from '../src/dashboard/DashboardOptions';

// The CLI README's `dashboard` flag table says what the code does by default.

const FLAG_OPTIONS: Record<string, keyof typeof DASHBOARD_DEFAULTS | 'required'> = {
  '--stream NAME': 'required',
  '--application NAME': 'required',
  '--port P': 'port',
  '--host ADDRESS': 'host',
  '--allow-remote': 'allowRemote',
  '--refresh-ms MS': 'refreshIntervalMs',
  '--lag-interval-ms MS': 'lagIntervalMs',
  '--throughput MODE': 'throughput',
  '--failover-ms MS': 'failoverTimeMs',
};

describe('the CLI README documents the dashboard flags with their defaults', () => {
  const rows = readMarkdownTable(join(__dirname, '..', 'README.md'), '`dashboard` flags');

  it('lists every flag once', () => {
    expect(rows.map((row) => row.flag)).toEqual(Object.keys(FLAG_OPTIONS));
  });

  it.each(Object.entries(FLAG_OPTIONS))('%s', (flag, option) => {
    const documented = rows.find((row) => row.flag === flag)?.default;
    const expected = option === 'required' ? 'required' : DASHBOARD_DEFAULTS[option] === false ? 'off' : String(DASHBOARD_DEFAULTS[option]);
    expect(documented).toBe(expected);
  });
});
