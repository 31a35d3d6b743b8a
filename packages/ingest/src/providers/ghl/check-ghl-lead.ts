/**
 * Asks GHL about one lead: its contact's appointments (GET /contacts/{id}/appointments, naive times
 * read in the location's zone). An appointment recon knows for this lead that the listing no
 * longer shows is looked up by id; anything the lookup says is observed as is. A 404 alone is no
 * hard delete (a wrong location or token would "delete" everything): the appointment is marked
 * missing, and observed as deleted only when a later check, at least `MISSING_CONFIRM_MS` after
 * the first, still finds it missing while the contact's list is read. The delete webhook is final
 * at once.
 */
import {
  mapGhlCalendarEvent,
  mapGhlContactAppointment,
  type AppointmentState,
  type ObserveProviderAppointment,
} from '@recon/domain';
import type { GhlClient } from './ghl-client';
import {
  inRange,
  outcomeOf,
  type CheckContext,
  type FoundObservation,
  type ProviderCheckResult,
} from '../../reconcile/provider-check';

export interface GhlLeadFacts {
  readonly ghlContactId: string | null;
  /** GHL appointment ids recon has linked to this lead before. */
  readonly knownIds: readonly string[];
  /** Reads an appointment stream's state (for a deleted appointment's last known times). */
  readonly appointmentState: (providerAppointmentId: string) => Promise<AppointmentState>;
  /** When an earlier check first found this known appointment missing, if it did. */
  readonly missingSince?: (providerAppointmentId: string) => string | null;
}

/** How long an appointment must stay missing (two checks apart) before it is observed as deleted. */
export const MISSING_CONFIRM_MS = 15 * 60_000;

function keys(contactId: string | null) {
  return {
    inviteeEmailHash: null,
    guestEmailHashes: [],
    ghlContactId: contactId === null ? null : contactId.slice(0, 100),
    utmLeadIds: [],
  };
}

function deletedObservation(ctx: CheckContext, id: string, state: AppointmentState): ObserveProviderAppointment | null {
  if (state.status === 'absent' || state.deleted) return null;
  return {
    type: 'ObserveProviderAppointment',
    workspaceId: ctx.workspaceId,
    leadId: ctx.leadId,
    provider: 'ghl',
    providerAppointmentId: id,
    calendlyEventUri: null,
    status: 'canceled',
    startAt: state.startAt,
    endAt: state.endAt,
    providerUpdatedAt: null,
    rescheduledFrom: null,
    rescheduledTo: null,
    canceledBy: null,
    deleted: true,
    source: ctx.source,
    observedAt: ctx.observedAt,
    matchedBy: 'ghl_contact',
  };
}

export async function checkGhlLead(
  client: GhlClient,
  ctx: CheckContext,
  lead: GhlLeadFacts,
): Promise<ProviderCheckResult> {
  if (lead.ghlContactId === null)
    return { provider: 'ghl', outcome: { kind: 'skipped', code: 'NO_GHL_CONTACT_ID' }, observations: [] };
  const zone = await client.getLocationTimeZone();
  if (!zone.ok) return { provider: 'ghl', outcome: outcomeOf(0, zone.code), observations: [] };
  const listed = await client.getContactAppointments(lead.ghlContactId);
  if (!listed.ok) return { provider: 'ghl', outcome: outcomeOf(0, listed.code), observations: [] };
  const base = {
    workspaceId: ctx.workspaceId,
    source: ctx.source,
    observedAt: ctx.observedAt,
    leadId: ctx.leadId,
    timeZone: zone.value,
  };
  const observations: FoundObservation[] = [];
  let failure: string | null = null;
  const seen = new Set<string>();
  for (const appt of listed.value) {
    seen.add(appt.id);
    const mapped = mapGhlContactAppointment(appt, base);
    if (!mapped.ok) {
      failure ??= mapped.code;
      continue;
    }
    if (!inRange(mapped.value.observation.startAt, ctx.range)) continue;
    observations.push({
      observation: { ...mapped.value.observation, matchedBy: 'ghl_contact' },
      matchKeys: keys(lead.ghlContactId),
    });
  }
  const found = observations.length;
  const missing = new Map<string, string>();
  for (const id of lead.knownIds) {
    if (seen.has(id) || failure !== null) continue;
    const probe = await client.getCalendarEvent(id);
    if (probe.ok) {
      const sameContact = probe.value.contactId === lead.ghlContactId;
      const mapped = mapGhlCalendarEvent(probe.value, { ...base, leadId: sameContact ? ctx.leadId : null });
      if (mapped.ok)
        observations.push({ observation: mapped.value.observation, matchKeys: keys(probe.value.contactId ?? null) });
      else failure = mapped.code;
    } else if (probe.code === 'PROVIDER_NOT_FOUND') {
      const since = lead.missingSince?.(id) ?? null;
      if (since !== null && Date.parse(ctx.observedAt) - Date.parse(since) >= MISSING_CONFIRM_MS) {
        const gone = deletedObservation(ctx, id, await lead.appointmentState(id));
        if (gone) observations.push({ observation: gone, matchKeys: keys(lead.ghlContactId) });
      } else {
        missing.set(id, since ?? ctx.observedAt);
      }
    } else {
      failure = probe.code;
    }
  }
  return {
    provider: 'ghl',
    outcome: outcomeOf(found, failure),
    observations,
    ...(failure === null ? { missing } : {}),
  };
}
