import { ExpressionParser } from '../sql/ExpressionParser';
import { SqlError } from '../sql/SqlError';
import { TokenCursor } from '../sql/TokenCursor';
import { tokenize } from '../sql/tokenize';
import type { SqlType, SqlValue } from '../types/SqlType';
import { compileExpression } from './compileExpression';
import { Scope } from './Scope';

const COLUMNS: { name: string; type: SqlType }[] = [
  { name: 'I', type: { name: 'INTEGER' } },
  { name: 'D', type: { name: 'DOUBLE' } },
  { name: 'S', type: { name: 'VARCHAR', length: 20 } },
  { name: 'N', type: { name: 'INTEGER' } },
  { name: 'T', type: { name: 'TIMESTAMP' } },
  { name: 'P', type: { name: 'DECIMAL', length: 8, scale: 2 } },
];
const ROW: SqlValue[] = [7, 2.5, 'Hello World', null, Date.UTC(2004, 8, 30, 13, 48, 23, 456), 12.34];
const ROWTIME = Date.UTC(2024, 0, 1, 12, 0, 0);

function compile(sql: string) {
  const cursor = new TokenCursor(tokenize(sql), sql);
  const expression = new ExpressionParser(cursor).parse();
  if (!cursor.atEnd()) throw new Error(`trailing tokens in ${sql}`);
  return compileExpression(expression, new Scope([{ alias: 'S1', name: 'S1', columns: COLUMNS, offset: 0, isStream: true }], sql), { wallClock: () => 42 });
}
const evaluate = (sql: string) => compile(sql).evaluate(ROW, ROWTIME);
const iso = (sql: string) => new Date(evaluate(sql) as number).toISOString();

describe('compileExpression', () => {
  it.each([
    ['i + 1', 8],
    ['i / 2', 3],
    ['-i / 2', -3],
    ['d / 2', 1.25],
    ['i * d', 17.5],
    ['MOD(i, 4)', 3],
    ['i % 4', 3],
    ['ABS(-3.5)', 3.5],
    ['ROUND(2.5)', 3],
    ['ROUND(-2.5)', -3],
    ['ROUND(1.2345, 2)', 1.23],
    ['FLOOR(-1.5)', -2],
    ['CEIL(1.2)', 2],
    ['p * 2', 24.68],
    ['CAST(d AS INTEGER)', 2],
    ['CAST(1.005 AS DECIMAL(5,2))', 1.01],
    ["CAST('42' AS BIGINT)", 42],
    ['CAST(i AS VARCHAR(5))', '7'],
    ['CAST(p AS VARCHAR(10))', '12.34'],
    ['UPPER(s) || \'!\'', 'HELLO WORLD!'],
    ['LOWER(s)', 'hello world'],
    ['SUBSTRING(s FROM 7)', 'World'],
    ['SUBSTRING(s FROM 1 FOR 5)', 'Hello'],
    ["POSITION('World' IN s)", 7],
    ["TRIM('  x  ')", 'x'],
    ["TRIM(LEADING 'x' FROM 'xxaxx')", 'axx'],
    ['CHAR_LENGTH(s)', 11],
    ["s LIKE 'Hello%'", true],
    ["s LIKE 'hello%'", false],
    ["s NOT LIKE '_ello World'", false],
    ["'50%' LIKE '50!%' ESCAPE '!'", true],
    ['i BETWEEN 1 AND 7', true],
    ['i IN (1, 2, 3)', false],
    ["CASE WHEN i > 5 THEN 'big' ELSE 'small' END", 'big'],
    ["CASE i WHEN 7 THEN 'seven' END", 'seven'],
    ['COALESCE(n, i)', 7],
    ['NULLIF(i, 7)', null],
    ['STEP(23 BY 5)', 20],
    ['STEP(30 BY 10)', 30],
    ['TSDIFF(t, t - INTERVAL \'1\' SECOND)', 1000],
    ['UNIX_TIMESTAMP(TO_TIMESTAMP(1000))', 1000],
    ['EXTRACT(MINUTE FROM t)', 48],
    ['EXTRACT(SECOND FROM t)', 23.456],
    ['CURRENT_ROW_TIMESTAMP', 42],
  ])('%s = %j', (sql, expected) => {
    expect(evaluate(sql)).toEqual(expected);
  });

  it.each([
    ["STEP(t BY INTERVAL '10' SECOND)", '2004-09-30T13:48:20.000Z'],
    ["STEP(CAST('2004-09-30 13:48:23' AS TIMESTAMP) BY INTERVAL '30' MINUTE)", '2004-09-30T13:30:00.000Z'],
    ['FLOOR(t TO MINUTE)', '2004-09-30T13:48:00.000Z'],
    ['FLOOR(t TO HOUR)', '2004-09-30T13:00:00.000Z'],
    ['CEIL(t TO HOUR)', '2004-09-30T14:00:00.000Z'],
    ['FLOOR(t TO MONTH)', '2004-09-01T00:00:00.000Z'],
    ["t + INTERVAL '2' HOUR", '2004-09-30T15:48:23.456Z'],
    ['ROWTIME', '2024-01-01T12:00:00.000Z'],
    ["TIMESTAMP '2020-02-29 23:59:59'", '2020-02-29T23:59:59.000Z'],
  ])('%s = %s', (sql, expected) => {
    expect(iso(sql)).toBe(expected);
  });

  it('follows SQL NULL semantics: NULL in, NULL out; AND/OR three-valued; IS NULL is never NULL', () => {
    expect(['n + 1', 'UPPER(CAST(n AS VARCHAR(3)))', 'n = n', 'n > 1', "CAST(n AS VARCHAR(3)) LIKE 'x'", 'ABS(n)', 'STEP(n BY 2)', 'n BETWEEN 1 AND 2'].map(evaluate)).toEqual([null, null, null, null, null, null, null, null]);
    expect(['n > 1 AND 1 = 2', 'n > 1 OR 1 = 1', 'n > 1 AND 1 = 1', 'n > 1 OR 1 = 2', 'NOT (n > 1)'].map(evaluate)).toEqual([false, true, null, null, null]);
    expect(['n IS NULL', 'n IS NOT NULL', 'i IS NULL', 'i IN (1, n)', 'i IN (7, n)'].map(evaluate)).toEqual([true, false, false, null, true]);
    expect(evaluate("CASE WHEN n > 1 THEN 'a' ELSE 'b' END")).toBe('b');
  });

  it('raises DivisionByZero and CoercionError per row (into error_stream), also for constant expressions', () => {
    expect(() => evaluate('i / 0')).toThrow(expect.objectContaining({ errorName: 'DivisionByZero' }));
    expect(() => evaluate('d / 0')).toThrow(expect.objectContaining({ errorName: 'DivisionByZero' }));
    expect(() => evaluate('1 / 0')).toThrow(expect.objectContaining({ errorName: 'DivisionByZero' }));
    expect(() => evaluate("CAST('abc' AS INTEGER)")).toThrow(expect.objectContaining({ errorName: 'CoercionError' }));
    expect(() => evaluate('CAST(1000 AS TINYINT)')).toThrow(expect.objectContaining({ errorName: 'NumericOverflow' }));
  });

  it.each([
    ["i + 'a'", 'cannot apply + to INTEGER and CHAR'],
    ['UPPER(i)', 'UPPER() argument 1 must be a string, got INTEGER'],
    ['COUNT(i)', 'aggregate COUNT() needs GROUP BY, WINDOWED BY STAGGER or OVER a window'],
    ['nope', 'unknown column NOPE (known: I, D, S, N, T, P)'],
    ['MY_UDF(i)', 'unknown function MY_UDF() (user-defined functions are not supported)'],
  ])('rejects %s at compile time: %s', (sql, message) => {
    let caught: unknown;
    try {
      compile(sql);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SqlError);
    expect((caught as SqlError).message).toContain(message);
  });
});
