/**
 * What the {@link RedshiftEmitter} runs SQL through: one database session (a `pg.Client`
 * connected to Redshift fits as it is). Every statement of a load — `BEGIN` to `COMMIT` — must
 * run on the same session, so pass a client, not a pool. Parameters are `$1`, `$2`, ….
 */
export interface SqlExecutor {
  query(sql: string, params?: unknown[]): Promise<{ readonly rows: readonly unknown[] }>;
}
