/**
 * Runs this package's migrations with its own bookkeeping tables (`workspaces_migrations`), so it
 * can share a database with the event store's and the projections' migrations.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m001 from './migrations/2026-11-25-001-workspaces';
import * as m002 from './migrations/2026-11-30-001-any-provider';
import * as m003 from './migrations/2026-11-30-002-stream-keys';
import * as mLostDeliveryGrace from './migrations/2026-11-30-010-lost-delivery-grace';
import * as mAttendanceReview from './migrations/2026-11-30-012-attendance-review';
import * as mLabelVerificationSla from './migrations/2026-11-30-011-label-verification-sla';
import * as mRescheduleGrace from './migrations/2026-12-01-013-reschedule-grace';

const migrations: Record<string, Migration> = {
  '2026-11-25-001-workspaces': m001,
  '2026-11-30-001-any-provider': m002,
  '2026-11-30-002-stream-keys': m003,
  '2026-11-30-010-lost-delivery-grace': mLostDeliveryGrace,
  '2026-11-30-012-attendance-review': mAttendanceReview,
  '2026-11-30-011-label-verification-sla': mLabelVerificationSla,
  '2026-12-01-013-reschedule-grace': mRescheduleGrace,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the workspaces schema up to date; throws (a bug or an unreachable database) on failure. */
export async function migrateWorkspaces(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'workspaces_migrations',
    migrationLockTableName: 'workspaces_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
}
