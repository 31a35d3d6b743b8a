/**
 * The rows of the identities projection, built from events: shared by its live batches and its
 * rebuild replay so both leave the same rows.
 */
import type { AppointmentEvent, LeadEvent } from '@recon/domain';
import { readMatchKeys } from './match-keys';

export type Row = Record<string, unknown> & { position: string };

export const IDENTITY_COLUMNS = [
  'workspace_id',
  'lead_id',
  'email_hash',
  'alternate_email_hashes',
  'ghl_contact_id',
  'position',
];
export const KEY_COLUMNS = [
  'workspace_id',
  'provider',
  'provider_appointment_id',
  'invitee_email_hash',
  'guest_email_hashes',
  'ghl_contact_id',
  'utm_lead_ids',
  'linked_lead_id',
  'position',
];

/** The lead_identities row a registration or contact change leaves. */
export function identityRow(
  event: Extract<LeadEvent, { type: 'LeadRegistered' | 'LeadContactChanged' }>,
  position: string,
): Row {
  return {
    workspace_id: event.data.workspaceId,
    lead_id: event.data.leadId,
    email_hash: event.data.emailHash,
    alternate_email_hashes: event.data.alternateEmailHashes,
    ghl_contact_id: event.data.ghlContactId,
    position,
  };
}

/** The unmatched_appointment_keys row of a booking after one of its events (`prev`: the row before). */
export function nextKeyRow(prev: Row | undefined, event: AppointmentEvent, position: string): Row {
  const d = event.data;
  const mk = event.type === 'AppointmentBooked' ? readMatchKeys(event.data) : null;
  const linkedLeadId = d.leadId ?? (prev?.['linked_lead_id'] as string | null | undefined) ?? null;
  // A linked booking is never matched again: its person-identifying keys are not kept (so an
  // erased lead's bookings cannot get them back from a later event either).
  const linked = linkedLeadId !== null;
  return {
    workspace_id: d.workspaceId,
    provider: d.provider,
    provider_appointment_id: d.providerAppointmentId,
    invitee_email_hash: linked ? null : (mk?.inviteeEmailHash ?? prev?.['invitee_email_hash'] ?? null),
    guest_email_hashes: linked ? [] : (mk?.guestEmailHashes ?? prev?.['guest_email_hashes'] ?? []),
    ghl_contact_id: linked ? null : (mk?.ghlContactId ?? prev?.['ghl_contact_id'] ?? null),
    utm_lead_ids: mk?.utmLeadIds ?? prev?.['utm_lead_ids'] ?? [],
    linked_lead_id: linkedLeadId,
    position,
  };
}
