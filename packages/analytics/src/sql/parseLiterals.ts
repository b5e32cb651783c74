import type { SqlTypeName, TimeUnit, TypeSpec } from './ast';
import type { TokenCursor } from './TokenCursor';

/** Milliseconds per time unit (MONTH and YEAR have none: they are calendar units). */
export const UNIT_MS: Readonly<Record<TimeUnit, number | undefined>> = Object.freeze({
  SECOND: 1000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
  MONTH: undefined,
  YEAR: undefined,
});

const UNITS = new Set<string>(['SECOND', 'MINUTE', 'HOUR', 'DAY', 'MONTH', 'YEAR']);

/** A time unit keyword (SECOND, MINUTE, …; plural forms accepted). */
export function parseTimeUnit(cursor: TokenCursor, construct: string): TimeUnit {
  const word = cursor.current.kind === 'identifier' ? cursor.current.text.replace(/S$/, '') : '';
  if (!UNITS.has(word)) cursor.fail(`expected a time unit (SECOND, MINUTE, HOUR, DAY, MONTH, YEAR), got ${cursor.describe(cursor.current)}`, construct);
  cursor.advance();
  return word as TimeUnit;
}

/**
 * After the INTERVAL keyword: `'n' unit` (n may have a fraction for SECOND). Year-month
 * intervals and `DAY TO SECOND` forms are named as not supported.
 */
export function parseIntervalBody(cursor: TokenCursor): { ms: number; text: string; unit: TimeUnit } {
  const construct = 'INTERVAL literal';
  const literal = cursor.current;
  if (literal.kind !== 'string') cursor.fail(`expected a quoted amount like '10', got ${cursor.describe(literal)}`, construct);
  cursor.advance();
  const unitPosition = cursor.current.position;
  const unit = parseTimeUnit(cursor, construct);
  if (cursor.isKeyword('TO')) cursor.unsupported(`INTERVAL … ${unit} TO … (a multi-field interval)`);
  if (cursor.isOperator('(')) cursor.unsupported('an interval precision');
  const ms = UNIT_MS[unit];
  if (ms === undefined) cursor.unsupported(`a ${unit} interval (calendar intervals)`, unitPosition);
  const amount = literal.text.trim();
  if (!/^\d+(\.\d+)?$/.test(amount) || (unit !== 'SECOND' && amount.includes('.'))) {
    cursor.fail(`expected a non-negative ${unit === 'SECOND' ? 'number' : 'integer'} of ${unit}s, got '${literal.text}'`, construct, literal.position);
  }
  return { ms: Math.round(Number(amount) * ms!), text: `INTERVAL '${amount}' ${unit}`, unit };
}

const SIMPLE_TYPES: Readonly<Record<string, SqlTypeName>> = {
  BOOLEAN: 'BOOLEAN',
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INTEGER: 'INTEGER',
  INT: 'INTEGER',
  BIGINT: 'BIGINT',
  REAL: 'REAL',
  FLOAT: 'DOUBLE',
  DOUBLE: 'DOUBLE',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
};

/** A column or CAST type: `INTEGER`, `DECIMAL(8,2)`, `VARCHAR(16)`, `DOUBLE PRECISION`, … */
export function parseType(cursor: TokenCursor): TypeSpec {
  const construct = 'data type';
  const token = cursor.current;
  if (token.kind !== 'identifier') cursor.fail(`expected a data type, got ${cursor.describe(token)}`, construct);
  cursor.advance();
  const word = token.text;
  const simple = SIMPLE_TYPES[word];
  if (simple !== undefined) {
    if (simple === 'DOUBLE') cursor.acceptKeyword('PRECISION');
    if ((simple === 'TIME' || simple === 'TIMESTAMP') && cursor.isOperator('(')) {
      // A fractional-seconds precision: milliseconds are what we keep, whatever it says.
      cursor.advance();
      cursor.expectInteger(construct);
      cursor.expectOperator(')', construct);
    }
    if (cursor.isKeyword('WITH')) cursor.unsupported('a time zone on a TIME/TIMESTAMP type');
    return { name: simple };
  }
  if (word === 'DECIMAL' || word === 'NUMERIC' || word === 'DEC') {
    if (!cursor.acceptOperator('(')) return { name: 'DECIMAL', length: 18, scale: 0 };
    const precision = cursor.expectInteger(construct);
    const scale = cursor.acceptOperator(',') ? cursor.expectInteger(construct) : 0;
    cursor.expectOperator(')', construct);
    if (precision < 1 || precision > 38 || scale > precision) cursor.fail(`DECIMAL(${precision},${scale}): precision must be 1-38 and scale ≤ precision`, construct, token.position);
    return { name: 'DECIMAL', length: precision, scale };
  }
  if (word === 'CHAR' || word === 'CHARACTER' || word === 'VARCHAR' || word === 'VARBINARY' || word === 'BINARY') {
    const varying = word === 'VARCHAR' || cursor.acceptKeyword('VARYING');
    const name: SqlTypeName = word === 'VARBINARY' || word === 'BINARY' ? 'VARBINARY' : varying ? 'VARCHAR' : 'CHAR';
    let length = name === 'CHAR' ? 1 : undefined;
    if (cursor.acceptOperator('(')) {
      length = cursor.expectInteger(construct);
      cursor.expectOperator(')', construct);
    } else if (name !== 'CHAR') {
      cursor.fail(`${word} needs a length, e.g. ${word}(64)`, construct, token.position);
    }
    return { name, length };
  }
  if (word === 'INTERVAL' || word === 'ARRAY' || word === 'MULTISET' || word === 'ROW') cursor.unsupported(`the ${word} column type`, token.position);
  return cursor.fail(`unknown data type ${token.raw}`, construct, token.position);
}
