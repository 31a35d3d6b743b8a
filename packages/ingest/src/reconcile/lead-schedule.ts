/** The scheduler's memory of one lead (`reconcile_leads`): read before a check, written after. */
import { sql } from 'kysely';
import type { KnownAppointment, ReconcileDb, ReconcileLeadRow } from './reconcile-tables';

export interface LeadInputs {
  readonly contact: { readonly email: string | null; readonly alternateEmails: readonly string[] } | null;
  readonly schedule: { readonly bookingState: string; readonly knownAppointments: readonly KnownAppointment[] } | null;
}

/** The lead's contact (emails) and the scheduler's memory of it, in one round trip. */
export async function getLeadInputs(db: ReconcileDb, workspaceId: string, leadId: string): Promise<LeadInputs> {
  const { rows } = await sql<{
    email: string | null;
    alternate_emails: string[] | null;
    has_contact: boolean;
    booking_state: string | null;
    known_appointments: KnownAppointment[] | null;
  }>`
    SELECT c.email, c.alternate_emails, (c.lead_id IS NOT NULL) AS has_contact, r.booking_state, r.known_appointments
    FROM (SELECT 1) AS one
    LEFT JOIN lead_contacts c ON c.workspace_id = ${workspaceId} AND c.lead_id = ${leadId}
    LEFT JOIN reconcile_leads r ON r.workspace_id = ${workspaceId} AND r.lead_id = ${leadId}`.execute(db);
  const row = rows[0];
  return {
    contact: row?.has_contact ? { email: row.email, alternateEmails: row.alternate_emails ?? [] } : null,
    schedule:
      row?.booking_state != null
        ? { bookingState: row.booking_state, knownAppointments: row.known_appointments ?? [] }
        : null,
  };
}

export async function getLeadSchedule(
  db: ReconcileDb,
  workspaceId: string,
  leadId: string,
): Promise<ReconcileLeadRow | null> {
  const row = await db
    .selectFrom('reconcile_leads')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', '=', leadId)
    .executeTakeFirst();
  return row ?? null;
}

export async function recordLeadSchedule(
  db: ReconcileDb,
  input: {
    workspaceId: string;
    leadId: string;
    at: Date;
    success: boolean;
    bookingState: string;
    currentEndAt: string | null;
    knownAppointments: readonly KnownAppointment[];
  },
): Promise<void> {
  const values = {
    workspace_id: input.workspaceId,
    lead_id: input.leadId,
    last_attempt_at: input.at,
    last_success_at: input.success ? input.at : null,
    booking_state: input.bookingState,
    current_end_at: input.currentEndAt,
    known_appointments: JSON.stringify(input.knownAppointments),
    failures: input.success ? 0 : 1,
  };
  await db
    .insertInto('reconcile_leads')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'lead_id']).doUpdateSet({
        last_attempt_at: values.last_attempt_at,
        last_success_at: input.success ? values.last_success_at : sql`reconcile_leads.last_success_at`,
        booking_state: values.booking_state,
        current_end_at: values.current_end_at,
        known_appointments: values.known_appointments,
        failures: input.success ? 0 : sql`reconcile_leads.failures + 1`,
      }),
    )
    .execute();
}
