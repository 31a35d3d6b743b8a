/**
 * What an erasure must shred besides the lead's own stream (docs/security.md, "Erasure"): the
 * bookings whose events sealed a hash of the person's email — those linked to the lead, and the
 * unmatched ones whose invitee or guest hashes equal one of the lead's (an email shared by two leads
 * leaves its bookings unmatched). Read before the erasure's event removes the lead's identity row.
 */
import { sql, type Kysely } from 'kysely';
import type { ProjectionsDatabase } from './projections-database';

export interface ErasureTarget {
  readonly provider: string;
  readonly providerAppointmentId: string;
}

export async function findErasureTargets(
  db: Kysely<ProjectionsDatabase>,
  lead: { readonly workspaceId: string; readonly leadId: string },
): Promise<ErasureTarget[]> {
  const { workspaceId, leadId } = lead;
  const rows = await sql<{ provider: string; provider_appointment_id: string }>`
    SELECT provider, provider_appointment_id FROM appointments WHERE workspace_id = ${workspaceId} AND lead_id = ${leadId}
    UNION
    SELECT provider, provider_appointment_id FROM unmatched_appointment_keys
    WHERE workspace_id = ${workspaceId} AND linked_lead_id = ${leadId}
    UNION
    SELECT p.provider, p.provider_appointment_id
    FROM lead_identities i JOIN unmatched_appointment_keys p ON p.workspace_id = i.workspace_id
    WHERE i.workspace_id = ${workspaceId} AND i.lead_id = ${leadId} AND (
      i.email_hash = p.invitee_email_hash OR p.invitee_email_hash = ANY(i.alternate_email_hashes)
      OR i.email_hash = ANY(p.guest_email_hashes) OR i.alternate_email_hashes && p.guest_email_hashes)`.execute(db);
  return rows.rows.map((r) => ({ provider: r.provider, providerAppointmentId: r.provider_appointment_id }));
}
