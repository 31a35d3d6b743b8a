/**
 * Runs ingest's own migrations (bookkeeping in `ingest_migrations`). Needs the workspaces schema
 * (lead selection joins `lead_contacts`), so run `migrateWorkspaces` first.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m001 from './migrations/2026-11-25-001-reconcile';
import * as m002 from './migrations/2026-11-30-002-backfill-limits';
import * as m003 from './migrations/2026-11-30-003-due-lead-index';
import * as m004 from './migrations/2026-11-30-004-webhook-receipts';
import * as m005 from './migrations/2026-11-30-005-auto-backfills';

const migrations: Record<string, Migration> = {
  '2026-11-25-001-reconcile': m001,
  '2026-11-30-002-backfill-limits': m002,
  '2026-11-30-003-due-lead-index': m003,
  '2026-11-30-004-webhook-receipts': m004,
  '2026-11-30-005-auto-backfills': m005,
};
const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings ingest's tables up to date; throws (a bug or an unreachable database) on failure. */
export async function migrateIngest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'ingest_migrations',
    migrationLockTableName: 'ingest_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
}
