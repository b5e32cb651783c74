import { parseApplicationSql } from './parseApplicationSql';
import { SqlError } from './SqlError';

function errorOf(sql: string): SqlError {
  try {
    parseApplicationSql(sql);
  } catch (error) {
    if (error instanceof SqlError) return error;
    throw error;
  }
  throw new Error('parsed without error');
}

describe('parseApplicationSql', () => {
  it('parses the stagger window example of the KDA developer guide', () => {
    const ast = parseApplicationSql(`
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
          event_time TIMESTAMP,
          ticker_symbol    VARCHAR(4),
          ticker_count     INTEGER);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS
        INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM EVENT_TIME, TICKER, COUNT(TICKER) AS ticker_count
          FROM "SOURCE_SQL_STREAM_001"
          WINDOWED BY STAGGER (PARTITION BY TICKER, EVENT_TIME RANGE INTERVAL '1' MINUTE);`);
    expect(ast.statements.map((s) => s.kind)).toEqual(['createStream', 'createPump']);
    const stream = ast.statements[0]!;
    if (stream.kind !== 'createStream') throw new Error('not a stream');
    expect(stream.columns.map((c) => [c.name.text, c.type.name, c.type.length])).toEqual([
      ['EVENT_TIME', 'TIMESTAMP', undefined],
      ['TICKER_SYMBOL', 'VARCHAR', 4],
      ['TICKER_COUNT', 'INTEGER', undefined],
    ]);
    const pump = ast.statements[1]!;
    if (pump.kind !== 'createPump') throw new Error('not a pump');
    expect(pump.select.stagger?.ms).toBe(60_000);
    expect(pump.select.stagger?.partitionBy).toHaveLength(2);
    expect(pump.select.from.name).toMatchObject({ text: 'SOURCE_SQL_STREAM_001', quoted: true });
  });

  it('folds unquoted identifiers to upper case and keeps quoted ones as written', () => {
    const ast = parseApplicationSql('CREATE STREAM exampleStream ("lowerCase" INT, Mixed INT);');
    const stream = ast.statements[0]!;
    if (stream.kind !== 'createStream') throw new Error('not a stream');
    expect(stream.name.text).toBe('EXAMPLESTREAM');
    expect(stream.columns.map((c) => c.name.text)).toEqual(['lowerCase', 'MIXED']);
  });

  it('parses named and inline sliding windows, STEP, FLOOR … TO, CASE, CAST, LIKE and a LEFT JOIN', () => {
    const ast = parseApplicationSql(`
      CREATE OR REPLACE PUMP p AS INSERT INTO d
      SELECT STREAM s.ticker, AVG(price) OVER w1, MAX(price) OVER (PARTITION BY ticker ROWS 10 PRECEDING),
             CASE WHEN price > 10 THEN 'hi' ELSE 'lo' END, CAST(price AS DECIMAL(8,2)), c."Company",
             STEP(s.ROWTIME BY INTERVAL '10' SECOND), FLOOR(s.ROWTIME TO MINUTE)
      FROM SOURCE_SQL_STREAM_001 AS s LEFT JOIN "CompanyName" AS c ON s.ticker = c."Ticker"
      WHERE ticker LIKE 'A%' AND price IS NOT NULL
      WINDOW w1 AS (PARTITION BY ticker RANGE INTERVAL '1' MINUTE PRECEDING);`);
    const pump = ast.statements[0]!;
    if (pump.kind !== 'createPump') throw new Error('not a pump');
    expect(pump.select.items.map((item) => item.expression.kind)).toEqual(['column', 'call', 'call', 'case', 'cast', 'column', 'step', 'floorTo']);
    expect(pump.select.joins[0]).toMatchObject({ type: 'LEFT', table: { name: { text: 'CompanyName' }, alias: { text: 'C' } } });
    expect(pump.select.windows.get('W1')?.frame).toEqual({ kind: 'range', ms: 60_000, text: "INTERVAL '1' MINUTE" });
  });

  it('reports a syntax error with line:column, a caret excerpt and the construct', () => {
    const error = errorOf('CREATE OR REPLACE STREAM s (a INTEGER);\nCREATE PUMP p AS INSERT INTO s\n  SELECT STREAM a + FROM x;');
    expect(error.kind).toBe('syntax');
    expect([error.line, error.column]).toEqual([3, 21]);
    expect(error.message).toBe('line 3:21: expected an expression, got "FROM" (in expression)');
    expect(error.excerpt).toBe('    SELECT STREAM a + FROM x;\n                      ^');
  });

  it.each([
    ['CREATE FUNCTION f(x INT) RETURNS INT RETURN x;', 'CREATE FUNCTION', [1, 8]],
    ['CREATE PUMP p AS INSERT INTO d SELECT STREAM a FROM (SELECT STREAM * FROM s);', 'a subquery in FROM', [1, 53]],
    ['CREATE PUMP p AS INSERT INTO d SELECT STREAM a FROM s RIGHT JOIN t ON s.a = t.a;', 'RIGHT JOIN', [1, 55]],
    ["CREATE PUMP p AS INSERT INTO d SELECT STREAM a FROM s OVER (RANGE INTERVAL '1' HOUR PRECEDING) AS s2;", 'a windowed stream in FROM (stream-to-stream JOIN)', [1, 55]],
    ['SELECT STREAM * FROM s;', 'a top-level SELECT (write it as a pump: CREATE OR REPLACE PUMP … AS INSERT INTO … SELECT STREAM …)', [1, 1]],
  ])('names the unsupported construct in %s', (sql, construct, [line, column]) => {
    const error = errorOf(sql);
    expect({ kind: error.kind, construct: error.construct, line: error.line, column: error.column }).toEqual({ kind: 'unsupported', construct, line, column });
  });

  it('reports an unterminated string at its opening quote', () => {
    const error = errorOf("CREATE PUMP p AS INSERT INTO d SELECT STREAM 'abc FROM s;");
    expect([error.line, error.column, error.message]).toEqual([1, 46, 'line 1:46: unterminated string literal (in tokens)']);
  });
});
