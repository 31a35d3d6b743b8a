/**
 * Runs this package's migrations (bookkeeping tables in `projections_migrations`), then makes sure
 * every known projection has a live generation: a projection seen for the first time gets empty
 * tables at position zero and catches up from there by itself when the runner starts.
 */
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import * as m001 from './migrations/2026-11-25-001-projection-runtime';
import { ALL_PROJECTIONS } from './all-projections';
import { ensureLiveGeneration } from './runtime/generations';
import type { AnyKysely } from './runtime/any-kysely';

const migrations: Record<string, Migration> = {
  '2026-11-25-001-projection-runtime': m001,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the projections' schema up to date; throws (a bug or an unreachable database) on failure. */
export async function migrateProjections(db: AnyKysely): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'projections_migrations',
    migrationLockTableName: 'projections_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
  for (const projection of ALL_PROJECTIONS) await ensureLiveGeneration(db, projection);
}
