import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryContext } from '../../test/memoryContext';
import { main } from '../main';

const dir = mkdtempSync(join(tmpdir(), 'kt-analytics-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};

async function analytics(...argv: string[]) {
  const context = memoryContext({ cwd: dir });
  const code = await main(['analytics', ...argv], context);
  const stdout = context.stdoutText();
  return { code, stdout, stderr: context.stderrText(), lines: () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const STAGGER_SQL = file(
  'stagger.sql',
  `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), event_time TIMESTAMP, ticker_count DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
  SELECT STREAM TICKER_SYMBOL, FLOOR(EVENT_TIME TO MINUTE), COUNT(TICKER_SYMBOL) AS ticker_count
  FROM "SOURCE_SQL_STREAM_001"
  WINDOWED BY STAGGER (PARTITION BY FLOOR(EVENT_TIME TO MINUTE), TICKER_SYMBOL RANGE INTERVAL '1' MINUTE);
`,
);

describe('kinesis-toolkit analytics test', () => {
  it('prints each output row as {"stream", "ROWTIME", columns…} JSON lines, closing open windows at the end (the stagger example)', async () => {
    const rows = file(
      'rows.jsonl',
      [
        { ROWTIME: '2018-08-01T11:00:20Z', EVENT_TIME: '2018-08-01T11:00:10Z', TICKER_SYMBOL: 'AMZN' },
        { ROWTIME: '2018-08-01T11:00:30Z', EVENT_TIME: '2018-08-01T11:00:20Z', TICKER_SYMBOL: 'AMZN' },
        { ROWTIME: Date.parse('2018-08-01T11:01:05Z'), EVENT_TIME: '2018-08-01T11:00:55Z', TICKER_SYMBOL: 'AMZN' },
        { ROWTIME: '2018-08-01T11:01:15Z', EVENT_TIME: '2018-08-01T11:01:05Z', TICKER_SYMBOL: 'AMZN' },
      ].map((r) => JSON.stringify(r)).join('\n'),
    );
    const { code, stdout } = await analytics('test', '--sql', STAGGER_SQL, '--input', rows);
    expect(code).toBe(0);
    expect(stdout).toBe(
      '{"stream":"DESTINATION_SQL_STREAM","ROWTIME":"2018-08-01T11:01:20.000Z","TICKER_SYMBOL":"AMZN","EVENT_TIME":"2018-08-01T11:00:00.000Z","TICKER_COUNT":3}\n' +
        '{"stream":"DESTINATION_SQL_STREAM","ROWTIME":"2018-08-01T11:02:15.000Z","TICKER_SYMBOL":"AMZN","EVENT_TIME":"2018-08-01T11:01:00.000Z","TICKER_COUNT":1}\n',
    );
  });

  it('maps each line by --schema (JSONPath mappings) and joins --reference tables from CSV', async () => {
    const sql = file(
      'join.sql',
      `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), company VARCHAR(20), price DECIMAL(6,2));
CREATE OR REPLACE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM"
  SELECT STREAM s.ticker, c."Company", s.price FROM "SOURCE_SQL_STREAM_001" AS s LEFT JOIN "CompanyName" AS c ON s.ticker = c."Ticker";`,
    );
    const schema = file(
      'schema.json',
      JSON.stringify({
        InputSchema: {
          RecordFormat: { RecordFormatType: 'JSON', MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } } },
          RecordEncoding: 'UTF-8',
          RecordColumns: [
            { Name: 'TICKER', SqlType: 'VARCHAR(4)', Mapping: '$.trade.symbol' },
            { Name: 'PRICE', SqlType: 'DECIMAL(6,2)', Mapping: '$.trade.price' },
          ],
        },
      }),
    );
    const rows = file('trades.jsonl', `{"ROWTIME":"2024-01-01T00:00:00Z","trade":{"symbol":"AMZN","price":"101.456"}}\n{"ROWTIME":"2024-01-01T00:00:01Z","trade":{"symbol":"QXR","price":2}}\n`);
    const reference = file('companies.csv', 'Ticker,Company\nAMZN,Amazon\nASD,SomeCompanyA\n');
    const { code, lines, stderr } = await analytics('test', '--sql', sql, '--input', rows, '--schema', schema, '--reference', `CompanyName=${reference}`);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines()).toEqual([
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2024-01-01T00:00:00.000Z', TICKER: 'AMZN', COMPANY: 'Amazon', PRICE: 101.46 },
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2024-01-01T00:00:01.000Z', TICKER: 'QXR', COMPANY: null, PRICE: 2 },
    ]);
  });

  it('exits 2 on bad SQL with file:line:column, the construct and a caret under the column', async () => {
    const sql = file('bad.sql', 'CREATE OR REPLACE STREAM d (a INTEGER);\nCREATE PUMP p AS INSERT INTO d\n  SELECT STREAM a + FROM s;\n');
    const rows = file('one.jsonl', '{"ROWTIME": 0, "a": 1}\n');
    const { code, stdout, stderr } = await analytics('test', '--sql', sql, '--input', rows);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe('kinesis-toolkit analytics: bad.sql:3:21: expected an expression, got "FROM" (in expression)\n    SELECT STREAM a + FROM s;\n                      ^\n');
  });

  it('exits 2 naming an unsupported construct and its position', async () => {
    const sql = file('udf.sql', "CREATE FUNCTION f(x INT) RETURNS INT RETURN x;\n");
    const { code, stderr } = await analytics('test', '--sql', sql, '--input', file('empty.jsonl', ''));
    expect(code).toBe(2);
    expect(stderr).toContain('udf.sql:1:8: CREATE FUNCTION is not supported');
  });

  it('exits 2 naming the line of an input row without a ROWTIME', async () => {
    const { code, stderr } = await analytics('test', '--sql', STAGGER_SQL, '--input', file('nort.jsonl', '{"ROWTIME":"2024-01-01T00:00:00Z"}\n{"x":1}\n'));
    expect({ code, stderr }).toEqual({ code: 2, stderr: 'kinesis-toolkit analytics: nort.jsonl:2: ROWTIME must be an ISO 8601 timestamp or epoch milliseconds, got undefined\n' });
  });
});

describe('kinesis-toolkit analytics explain', () => {
  it('explains --sql with the input columns from --schema: windows and the keys it would repartition by', async () => {
    const schema = file(
      'ticks.json',
      JSON.stringify({
        RecordFormat: { RecordFormatType: 'JSON', MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } } },
        RecordColumns: [
          { Name: 'TICKER_SYMBOL', SqlType: 'VARCHAR(4)', Mapping: '$.ticker' },
          { Name: 'PRICE', SqlType: 'REAL', Mapping: '$.price' },
        ],
      }),
    );
    const sql = file(
      'sliding.sql',
      `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(10), avg_price DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
  SELECT STREAM ticker_symbol, AVG(price) OVER W1 FROM "SOURCE_SQL_STREAM_001"
  WINDOW W1 AS (PARTITION BY ticker_symbol RANGE INTERVAL '1' MINUTE PRECEDING);`,
    );
    const { code, stdout } = await analytics('explain', '--sql', sql, '--schema', schema);
    expect(code).toBe(0);
    expect(stdout).toContain('SOURCE_SQL_STREAM_001 (input): TICKER_SYMBOL VARCHAR(4), PRICE REAL');
    expect(stdout).toContain("window: sliding: PARTITION BY TICKER_SYMBOL RANGE INTERVAL '1' MINUTE PRECEDING");
    expect(stdout).toContain('repartition: by TICKER_SYMBOL');
  });

  it('prints streams, pumps, windows and repartitioning of a describe-application JSON', async () => {
    const { code, stdout } = await analytics('explain', '--application', join(__dirname, '../../../analytics/test/fixtures/describe-application.json'));
    expect(code).toBe(0);
    expect(stdout).toContain('STREAM_PUMP: SOURCE_SQL_STREAM_001 → DESTINATION_SQL_STREAM');
    expect(stdout).toContain('window: stagger: PARTITION BY TICKER, EVENT_TIME, C."Company" RANGE 60 s');
    expect(stdout).toContain('joins: LEFT JOIN CompanyName (hash lookup)');
  });
});
