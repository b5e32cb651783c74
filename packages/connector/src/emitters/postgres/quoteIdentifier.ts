import { InvalidArgumentError } from '@kinesis-toolkit/core';

/**
 * A PostgreSQL (or Redshift) identifier in double quotes, inner quotes doubled, so that any
 * name — mixed case, spaces, keywords, quotes — is taken literally and cannot inject SQL.
 * @throws InvalidArgumentError for an empty name or one containing U+0000.
 */
export function quoteIdentifier(name: string, optionName = 'identifier'): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\u0000')) {
    throw new InvalidArgumentError(optionName, 'a non-empty identifier without U+0000', name);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` quoted part by part, or just the table. */
export function quoteTableName(table: string, schema?: string): string {
  return schema === undefined ? quoteIdentifier(table, 'table') : `${quoteIdentifier(schema, 'schema')}.${quoteIdentifier(table, 'table')}`;
}

/** A SQL string literal: single quotes, inner quotes doubled. @throws InvalidArgumentError for U+0000. */
export function quoteLiteral(value: string, optionName = 'literal'): string {
  if (value.includes('\u0000')) throw new InvalidArgumentError(optionName, 'a string without U+0000', value);
  return `'${value.replace(/'/g, "''")}'`;
}
