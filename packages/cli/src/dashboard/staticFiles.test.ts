import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { STATIC_DIRECTORY } from './DashboardServer';

const PACKAGE = join(__dirname, '..', '..');

describe('the dashboard page files', () => {
  it.each(['index.html', 'dashboard.js', 'dashboard.css'])('%s is where the server reads it', (file) => {
    expect(existsSync(join(STATIC_DIRECTORY, file))).toBe(true);
  });

  it('ship in the published package (package.json "files")', () => {
    const { files } = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as { files: string[] };
    expect(files).toContain(relative(PACKAGE, STATIC_DIRECTORY));
  });

  it('load nothing from elsewhere: the page names only its own script and stylesheet', () => {
    const html = readFileSync(join(STATIC_DIRECTORY, 'index.html'), 'utf8');
    expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1])).toEqual(['dashboard.css', 'dashboard.js']);
  });
});
