import type { SqlTypeName, TypeSpec } from '../sql/ast';

/** The static type of a column or expression. `NULL` is the type of the NULL literal; `INTERVAL` of interval literals (milliseconds). */
export interface SqlType {
  readonly name: SqlTypeName | 'NULL' | 'INTERVAL';
  readonly length?: number;
  readonly scale?: number;
}

/**
 * A value at run time: numbers for every numeric type (BIGINT beyond 2^53 loses precision),
 * epoch milliseconds for TIMESTAMP and DATE, milliseconds since midnight for TIME, milliseconds
 * for INTERVAL, `Buffer` for VARBINARY, and `null` for SQL NULL.
 */
export type SqlValue = number | string | boolean | Buffer | null;

const INTEGERS = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT']);
const NUMERICS = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'DECIMAL', 'REAL', 'DOUBLE']);

export const BOOLEAN: SqlType = Object.freeze({ name: 'BOOLEAN' });
export const INTEGER: SqlType = Object.freeze({ name: 'INTEGER' });
export const BIGINT: SqlType = Object.freeze({ name: 'BIGINT' });
export const DOUBLE: SqlType = Object.freeze({ name: 'DOUBLE' });
export const VARCHAR: SqlType = Object.freeze({ name: 'VARCHAR', length: 65535 });
export const TIMESTAMP: SqlType = Object.freeze({ name: 'TIMESTAMP' });
export const INTERVAL: SqlType = Object.freeze({ name: 'INTERVAL' });
export const NULL_TYPE: SqlType = Object.freeze({ name: 'NULL' });

export const isIntegerType = (type: SqlType): boolean => INTEGERS.has(type.name);
export const isNumericType = (type: SqlType): boolean => NUMERICS.has(type.name);
export const isStringType = (type: SqlType): boolean => type.name === 'CHAR' || type.name === 'VARCHAR';
export const isDatetimeType = (type: SqlType): boolean => type.name === 'TIMESTAMP' || type.name === 'DATE' || type.name === 'TIME';

/** The type a column declaration or CAST names. */
export function typeOf(spec: TypeSpec): SqlType {
  return Object.freeze({ ...spec });
}

/** `VARCHAR(16)`, `DECIMAL(8,2)`, `TIMESTAMP`. */
export function describeType(type: SqlType): string {
  if (type.name === 'DECIMAL') return `DECIMAL(${type.length ?? 18},${type.scale ?? 0})`;
  if (type.length !== undefined && (type.name === 'CHAR' || type.name === 'VARCHAR' || type.name === 'VARBINARY')) return `${type.name}(${type.length})`;
  return type.name;
}

/** The type of `a op b` for arithmetic on two numeric types: integer if both are, else DECIMAL if both exact, else DOUBLE. */
export function numericResultType(left: SqlType, right: SqlType): SqlType {
  if (left.name === 'NULL') return right;
  if (right.name === 'NULL') return left;
  if (isIntegerType(left) && isIntegerType(right)) return left.name === 'BIGINT' || right.name === 'BIGINT' ? BIGINT : INTEGER;
  if ((left.name === 'DECIMAL' || isIntegerType(left)) && (right.name === 'DECIMAL' || isIntegerType(right))) {
    return { name: 'DECIMAL', length: 38, scale: Math.max(left.scale ?? 0, right.scale ?? 0) };
  }
  return DOUBLE;
}
