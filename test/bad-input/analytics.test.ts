/**
 * Bad input to @kinesis-toolkit/analytics (the newest package; a few cases on its doors): SQL
 * text and application options. SQL mistakes get a SqlError naming the line and column.
 *
 * @jest-environment ./test/bad-input/support/trackingEnvironment.js
 */
import { parseApplicationSql, resolveApplicationOptions } from '@kinesis-toolkit/analytics';
import { expectTypedError, failOnUnhandledRejections } from './support/badInput';

failOnUnhandledRejections();

const valid = { sql: 'CREATE OR REPLACE STREAM "OUT" (a INTEGER);', inputSchema: { recordFormat: { type: 'JSON' }, columns: [] }, outputs: {} };

it.each([
  ['parseApplicationSql(42)', () => parseApplicationSql(42 as never), 'sql'],
  ["parseApplicationSql('CREATE STREAM') (cut short)", () => parseApplicationSql('CREATE STREAM'), 'line'],
  ["parseApplicationSql('SELEC 1;') (a typo)", () => parseApplicationSql('SELEC 1;'), 'line'],
  ["resolveApplicationOptions({ sql: '' })", () => resolveApplicationOptions({ ...valid, sql: '' } as never), 'sql'],
  ['resolveApplicationOptions with an unknown option (outputz), with a suggestion', () => resolveApplicationOptions({ ...valid, outputz: {} } as never), 'outputs'],
  ['resolveApplicationOptions with an output without write()', () => resolveApplicationOptions({ ...valid, outputs: { OUT: {} } } as never), 'outputs.OUT.write'],
  ["resolveApplicationOptions with rowtime 'event'", () => resolveApplicationOptions({ ...valid, rowtime: 'event' } as never), 'rowtime'],
])('%s', async (_, run, field) => {
  await expectTypedError(run, field);
});
