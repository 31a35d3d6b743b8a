/**
 * Runs this package's migrations with its own bookkeeping tables (`notifications_migrations`), so
 * it shares a database with the event store's, projections' and workspaces' migrations.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m001 from './migrations/2026-11-25-001-notification-outbox';
import * as m002 from './migrations/2026-11-30-002-outbox-retention';

const migrations: Record<string, Migration> = {
  '2026-11-25-001-notification-outbox': m001,
  '2026-11-30-002-outbox-retention': m002,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the outbox schema up to date; throws (a bug or an unreachable database) on failure. */
export async function migrateNotifications(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'notifications_migrations',
    migrationLockTableName: 'notifications_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
}
