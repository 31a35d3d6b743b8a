/** `labelVerificationSlaHours`: how long a booked label may stay unverified before the scheduler checks it first and a review opens. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE workspace_settings ADD COLUMN IF NOT EXISTS label_verification_sla_hours integer NOT NULL DEFAULT 24`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE workspace_settings DROP COLUMN IF EXISTS label_verification_sla_hours`.execute(db);
}
