/** How a PostgreSQL failure is handled: retry the batch, isolate bad rows, or give up. */
export type PostgresErrorClass = 'retryable' | 'row' | 'fatal';

/**
 * Classifies an error from `pg` by its SQLSTATE (`code`). Connection trouble, serialization
 * failures, deadlocks, lock timeouts, cancellations and resource exhaustion are `retryable`;
 * data exceptions (class 22) and integrity violations (class 23) come from a row's values
 * (`row`: isolate the bad rows); everything else — a missing table or column, no unique key for
 * ON CONFLICT (42P10), a permission error — is `fatal`. An error without a SQLSTATE is a
 * network error: `retryable`.
 */
export function classifyPostgresError(error: unknown): PostgresErrorClass {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return 'retryable';
  const sqlClass = code.slice(0, 2);
  if (['08', '40', '53', '57', '58'].includes(sqlClass) || code === '55P03' || code === '55006') return 'retryable';
  if (sqlClass === '22' || sqlClass === '23') return 'row';
  return 'fatal';
}
