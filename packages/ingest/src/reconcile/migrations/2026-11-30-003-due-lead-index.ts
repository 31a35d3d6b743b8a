/**
 * The tick's near-meeting tier (booked leads whose meeting ends within a day's window) reads a
 * partial index of the booked leads by meeting end, instead of passing every schedule row of the
 * workspace (see scheduler/select-due-leads.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX reconcile_leads_booked_end ON reconcile_leads (workspace_id, current_end_at) WHERE booking_state = 'booked'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS reconcile_leads_booked_end`.execute(db);
}
