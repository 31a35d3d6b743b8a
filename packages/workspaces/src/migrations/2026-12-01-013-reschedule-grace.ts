/** `rescheduleGraceMinutes`: how long after a reschedule recon waits for the new booking before fetching it itself. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE workspace_settings ADD COLUMN IF NOT EXISTS reschedule_grace_minutes integer NOT NULL DEFAULT 30`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE workspace_settings DROP COLUMN IF EXISTS reschedule_grace_minutes`.execute(db);
}
