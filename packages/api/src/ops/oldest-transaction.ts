/**
 * The oldest open transaction on the whole PostgreSQL server that holds a transaction id. The
 * event store's read fence (pg_snapshot_xmin) is cluster-wide: such a transaction in ANY database
 * of the server keeps every later event invisible to the projections until it ends. Only its
 * database name and age are read — never its query text or user.
 */
import { sql, type Kysely } from 'kysely';

export interface OldestTransaction {
  readonly database: string;
  readonly ageSeconds: number;
}

/** The `limit` oldest such transactions, oldest first. */
export async function oldestTransactions(db: Kysely<unknown>, limit: number): Promise<OldestTransaction[]> {
  const { rows } = await sql<{ database: string | null; age: number }>`
    SELECT datname AS database, extract(epoch FROM clock_timestamp() - xact_start)::float8 AS age
    FROM pg_stat_activity
    WHERE backend_xid IS NOT NULL AND xact_start IS NOT NULL AND pid <> pg_backend_pid()
    ORDER BY xact_start LIMIT ${limit}`.execute(db);
  return rows.map((row) => ({
    database: row.database ?? '(none)',
    ageSeconds: Math.max(0, Math.round(row.age * 10) / 10),
  }));
}

export async function oldestTransaction(db: Kysely<unknown>): Promise<OldestTransaction | null> {
  return (await oldestTransactions(db, 1))[0] ?? null;
}
