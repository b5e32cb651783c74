import { describe } from '../internal/options';

/**
 * A PostgreSQL (or Redshift) identifier in double quotes, inner quotes doubled, so that any
 * name — mixed case, spaces, keywords, quotes — is taken literally and cannot inject SQL.
 * @throws TypeError for an empty name or one containing U+0000.
 */
export function quoteIdentifier(name: string, optionName = 'identifier'): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\u0000')) {
    throw new TypeError(`${optionName}: expected a non-empty identifier without U+0000, got ${describe(name)}`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` quoted part by part, or just the table. */
export function quoteTableName(table: string, schema?: string): string {
  return schema === undefined ? quoteIdentifier(table, 'table') : `${quoteIdentifier(schema, 'schema')}.${quoteIdentifier(table, 'table')}`;
}

/** A SQL string literal: single quotes, inner quotes doubled. @throws TypeError for U+0000. */
export function quoteLiteral(value: string, optionName = 'literal'): string {
  if (value.includes('\u0000')) throw new TypeError(`${optionName}: cannot contain U+0000`);
  return `'${value.replace(/'/g, "''")}'`;
}
