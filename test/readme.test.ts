import { join } from 'node:path';
import { resolveAggregateBuilderOptions } from '@kinesis-toolkit/aggregation';
import { readMarkdownTable } from './markdownTable';

const root = join(__dirname, '..');

describe('README option tables match the resolved defaults', () => {
  it('AggregateBuilder', () => {
    const rows = readMarkdownTable(join(root, 'packages/aggregation/README.md'), '`AggregateBuilder` options');
    const documented = Object.fromEntries(rows.map((row) => [row.option, row.default]));
    const defaults = Object.fromEntries(Object.entries(resolveAggregateBuilderOptions()).map(([key, value]) => [key, String(value)]));
    expect(documented).toEqual(defaults);
  });
});
