/** `lostDeliveryGraceMinutes`: how long after a fact's provider update time a missing webhook counts as lost. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE workspace_settings ADD COLUMN IF NOT EXISTS lost_delivery_grace_minutes integer NOT NULL DEFAULT 15`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE workspace_settings DROP COLUMN IF EXISTS lost_delivery_grace_minutes`.execute(db);
}
