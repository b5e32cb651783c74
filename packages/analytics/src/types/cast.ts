import { EvaluationError } from '../errors/EvaluationError';
import { formatDate, formatTime, formatTimestamp, parseTime, parseTimestamp } from './datetime';
import { describeType, isIntegerType, isNumericType, type SqlType, type SqlValue } from './SqlType';

const INTEGER_RANGES: Record<string, [number, number]> = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INTEGER: [-2147483648, 2147483647],
  BIGINT: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const fail = (value: unknown, to: SqlType): never => {
  throw new EvaluationError('CoercionError', `cannot convert ${JSON.stringify(value)} to ${describeType(to)}`);
};

/** A number made to fit a numeric type: integers truncated toward zero and range-checked, DECIMAL rounded to its scale, REAL to float32. */
export function fitNumber(value: number, to: SqlType): number {
  if (!Number.isFinite(value)) {
    if (to.name === 'DOUBLE' || to.name === 'REAL') return value;
    throw new EvaluationError('NumericOverflow', `${value} does not fit ${describeType(to)}`);
  }
  if (isIntegerType(to)) {
    const truncated = Math.trunc(value);
    const [min, max] = INTEGER_RANGES[to.name]!;
    if (truncated < min || truncated > max) throw new EvaluationError('NumericOverflow', `${value} does not fit ${to.name}`);
    return truncated === 0 ? 0 : truncated;
  }
  if (to.name === 'DECIMAL') {
    const scale = to.scale ?? 0;
    const factor = 10 ** scale;
    const rounded = Math.round(Math.abs(value) * factor + 1e-9) / factor;
    const result = value < 0 ? -rounded : rounded;
    const precision = to.length ?? 18;
    if (Math.abs(result) >= 10 ** (precision - scale)) throw new EvaluationError('NumericOverflow', `${value} does not fit ${describeType(to)}`);
    return result;
  }
  if (to.name === 'REAL') return Math.fround(value);
  return value;
}

/** CAST(value AS to), value being of type `from`. NULL stays NULL. */
export function castValue(value: SqlValue, from: SqlType, to: SqlType): SqlValue {
  if (value === null) return null;
  if (from.name === to.name && to.name !== 'DECIMAL' && to.name !== 'CHAR' && to.name !== 'VARCHAR') return value;
  switch (to.name) {
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      if (typeof value === 'string') {
        const text = value.trim().toUpperCase();
        if (text === 'TRUE') return true;
        if (text === 'FALSE') return false;
      }
      return fail(value, to);
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'DECIMAL':
    case 'REAL':
    case 'DOUBLE': {
      if (typeof value === 'number') {
        if (from.name === 'TIMESTAMP' || from.name === 'DATE' || from.name === 'TIME') return fail(value, to);
        return fitNumber(value, to);
      }
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string') {
        const text = value.trim();
        if (text === '' || !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return fail(value, to);
        const parsed = Number(text);
        if (isIntegerType(to) && !Number.isInteger(parsed)) return fail(value, to);
        return fitNumber(parsed, to);
      }
      return fail(value, to);
    }
    case 'CHAR':
    case 'VARCHAR': {
      const text = toText(value, from);
      return to.length !== undefined && text.length > to.length ? text.slice(0, to.length) : text;
    }
    case 'VARBINARY':
      if (Buffer.isBuffer(value)) return value;
      if (typeof value === 'string' && /^([0-9a-fA-F]{2})*$/.test(value)) return Buffer.from(value, 'hex');
      return fail(value, to);
    case 'TIMESTAMP':
      if (typeof value === 'string') return parseTimestamp(value) ?? fail(value, to);
      if (typeof value === 'number' && (from.name === 'TIMESTAMP' || from.name === 'DATE')) return value;
      return fail(value, to);
    case 'DATE':
      if (typeof value === 'string') {
        const ms = parseTimestamp(value);
        return ms === undefined ? fail(value, to) : Math.floor(ms / 86_400_000) * 86_400_000;
      }
      if (typeof value === 'number' && from.name === 'TIMESTAMP') return Math.floor(value / 86_400_000) * 86_400_000;
      return fail(value, to);
    case 'TIME':
      if (typeof value === 'string') return parseTime(value) ?? fail(value, to);
      if (typeof value === 'number' && from.name === 'TIMESTAMP') return ((value % 86_400_000) + 86_400_000) % 86_400_000;
      return fail(value, to);
    default:
      return fail(value, to);
  }
}

/** How a value reads as text (CAST to VARCHAR, `||`). */
export function toText(value: Exclude<SqlValue, null>, type: SqlType): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (Buffer.isBuffer(value)) return value.toString('hex').toUpperCase();
  switch (type.name) {
    case 'TIMESTAMP':
      return formatTimestamp(value).replace('T', ' ').replace('Z', '');
    case 'DATE':
      return formatDate(value);
    case 'TIME':
      return formatTime(value);
    case 'DECIMAL':
      return value.toFixed(type.scale ?? 0);
    default:
      return isNumericType(type) || type.name === 'INTERVAL' ? String(value) : String(value);
  }
}

/**
 * A JSON value from an input record as a column of type `to`, by the KDA mapping rules: null →
 * NULL; booleans → 1/0 for numbers; numbers → text for strings, nonzero for BOOLEAN; strings
 * parsed; arrays and objects → their JSON text for CHAR/VARCHAR only.
 * @throws EvaluationError (CoercionError) for what the rules reject: the row goes to error_stream.
 */
export function coerceJsonValue(value: unknown, to: SqlType): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') {
    if (to.name === 'BOOLEAN') return value;
    if (isNumericType(to)) return value ? 1 : 0;
    if (to.name === 'CHAR' || to.name === 'VARCHAR') return castValue(String(value), { name: 'VARCHAR' }, to);
    if (to.name === 'VARBINARY') return Buffer.from([value ? 1 : 0]);
    return fail(value, to);
  }
  if (typeof value === 'number') {
    if (to.name === 'BOOLEAN') return value !== 0;
    if (isNumericType(to)) {
      if (isIntegerType(to) && !Number.isInteger(value)) return fail(value, to);
      return fitNumber(value, to);
    }
    if (to.name === 'CHAR' || to.name === 'VARCHAR') return castValue(String(value), { name: 'VARCHAR' }, to);
    // Epoch milliseconds are how our own JSONL and outputs carry timestamps.
    if (to.name === 'TIMESTAMP') return value;
    return fail(value, to);
  }
  if (typeof value === 'string') {
    if (to.name === 'BOOLEAN') return value.trim().toLowerCase() === 'true';
    if (to.name === 'VARBINARY') {
      const hex = /^X'([0-9a-fA-F]*)'$/.exec(value)?.[1] ?? value;
      return castValue(hex, { name: 'VARCHAR' }, to);
    }
    return castValue(value, { name: 'VARCHAR' }, to);
  }
  if (to.name === 'CHAR' || to.name === 'VARCHAR') return castValue(JSON.stringify(value), { name: 'VARCHAR' }, to);
  return fail(value, to);
}

/**
 * {@link coerceJsonValue} specialised for one column type, with the common cases (a string into
 * CHAR/VARCHAR, an integer into an integer type, a number into DOUBLE) decided once.
 */
export function jsonCoercerFor(to: SqlType): (value: unknown) => SqlValue {
  const slow = (value: unknown) => coerceJsonValue(value, to);
  if (to.name === 'VARCHAR' || to.name === 'CHAR') {
    const length = to.length ?? Infinity;
    return (value) => (typeof value === 'string' && value.length <= length ? value : slow(value));
  }
  if (isIntegerType(to)) {
    const [min, max] = INTEGER_RANGES[to.name]!;
    return (value) => (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : slow(value));
  }
  if (to.name === 'DOUBLE') return (value) => (typeof value === 'number' ? value : slow(value));
  return slow;
}
