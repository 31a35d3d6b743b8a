/**
 * Brings a database to the event store's current schema. The adapter owns its migrations:
 * callers (the CLI, test templates) only call this. Safe to run concurrently and repeatedly:
 * a transaction-scoped advisory lock serialises runners and applied ids are recorded.
 */
import pg from 'pg';
import { allMigrations } from './migrations/all-migrations';

const LOCK_KEY = 'recon.eventstore.migrations';

/** Applies pending migrations; returns the ids applied by this call. */
export async function migrateEventStore(target: pg.Pool | string): Promise<readonly string[]> {
  const pool = typeof target === 'string' ? new pg.Pool({ connectionString: target, max: 1 }) : target;
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK_KEY]);
    await client.query('CREATE SCHEMA IF NOT EXISTS eventstore');
    await client.query(
      'CREATE TABLE IF NOT EXISTS eventstore.migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ id: string }>('SELECT id FROM eventstore.migrations');
    const done = new Set(rows.map((row) => row.id));
    for (const migration of allMigrations) {
      if (done.has(migration.id)) continue;
      await client.query(migration.up);
      await client.query('INSERT INTO eventstore.migrations (id) VALUES ($1)', [migration.id]);
      applied.push(migration.id);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
    if (typeof target === 'string') await pool.end();
  }
}
