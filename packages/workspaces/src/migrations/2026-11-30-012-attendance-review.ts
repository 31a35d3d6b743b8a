/** `attendanceReview`: ended meetings without an attendance signal open a `meeting-outcome-unknown` task (off by default). */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE workspace_settings ADD COLUMN IF NOT EXISTS attendance_review boolean NOT NULL DEFAULT false`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE workspace_settings DROP COLUMN IF EXISTS attendance_review`.execute(db);
}
