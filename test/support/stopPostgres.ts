import type { Pool } from 'pg';
import type { PostgresServer } from '@kinesis-toolkit/testing';

/**
 * Ends a test's `pg` pool, then stops its PostgreSQL. `pool.end()` does not wait for its clients'
 * sockets to close; one still closing when the server stops gets "terminating connection due to
 * administrator command" (57P01), which a pool with no 'error' listener throws as an unhandled
 * error. That one is expected here; any other error still throws.
 */
export async function stopPostgres(pool: Pool | undefined, server: PostgresServer | undefined): Promise<void> {
  pool?.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') throw error;
  });
  await pool?.end();
  await server?.stop();
}
