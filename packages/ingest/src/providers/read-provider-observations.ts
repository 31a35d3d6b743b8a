/**
 * The reconciler's provider reads: client calls + domain mapping in one step, per lead (GHL
 * contact, Calendly invitee email) or per window (Calendly rolling scan). A call failure fails the
 * whole read with its code (never a partial "none found"); an appointment the domain cannot map
 * (e.g. GHL_STATUS_UNKNOWN) is listed in `skipped` with its code, so the caller can report a
 * partial check instead of dropping it silently. Hints carry PII for matching only: never log them.
 */
import {
  type CalendlyMatchHints,
  type GhlMatchHints,
  type MappedObservation,
  type ObservationContext,
  mapCalendlyInvitee,
  mapGhlContactAppointment,
} from '@recon/domain';
import type { CalendlyClient } from './calendly/calendly-client';
import type { GhlClient } from './ghl/ghl-client';
import type { ProviderCallResult } from './provider-call-result';

export interface ObservationRead<H> {
  readonly observations: readonly MappedObservation<H>[];
  /** Appointments seen but not mappable, by provider id and domain code (no payload values). */
  readonly skipped: readonly { readonly providerAppointmentId: string; readonly code: string }[];
}

/** A GHL contact's appointments as observations (naive times read in the location's timezone). */
export async function readGhlContactObservations(
  client: GhlClient,
  contactId: string,
  ctx: ObservationContext,
): Promise<ProviderCallResult<ObservationRead<GhlMatchHints>>> {
  const zone = await client.getLocationTimeZone();
  if (!zone.ok) return zone;
  const appts = await client.getContactAppointments(contactId);
  if (!appts.ok) return appts;
  const observations: MappedObservation<GhlMatchHints>[] = [];
  const skipped: { providerAppointmentId: string; code: string }[] = [];
  for (const appt of appts.value) {
    const mapped = mapGhlContactAppointment(appt, { ...ctx, timeZone: zone.value });
    if (mapped.ok) observations.push(mapped.value);
    else skipped.push({ providerAppointmentId: appt.id, code: mapped.code });
  }
  return { ok: true, value: { observations, skipped } };
}

const normalize = (email: string) => email.trim().toLowerCase();

async function inviteesOf(
  client: CalendlyClient,
  events: Awaited<ReturnType<CalendlyClient['scanOrganizationEvents']>> & { ok: true },
  ctx: ObservationContext,
  keep: (email: string) => boolean,
): Promise<ProviderCallResult<ObservationRead<CalendlyMatchHints>>> {
  const observations: MappedObservation<CalendlyMatchHints>[] = [];
  const skipped: { providerAppointmentId: string; code: string }[] = [];
  for (const event of events.value) {
    const invitees = await client.listEventInvitees(event.uri);
    if (!invitees.ok) return invitees;
    for (const invitee of invitees.value) {
      if (!keep(invitee.email)) continue;
      const mapped = mapCalendlyInvitee(event, invitee, ctx);
      if (mapped.ok) observations.push(mapped.value);
      else skipped.push({ providerAppointmentId: invitee.uri, code: mapped.code });
    }
  }
  return { ok: true, value: { observations, skipped } };
}

/** A lead's Calendly bookings by email: events with that invitee, then their invitees with that email. */
export async function readCalendlyObservationsByEmail(
  client: CalendlyClient,
  email: string,
  ctx: ObservationContext,
): Promise<ProviderCallResult<ObservationRead<CalendlyMatchHints>>> {
  const events = await client.listScheduledEventsByInviteeEmail(email);
  if (!events.ok) return events;
  const wanted = normalize(email);
  return inviteesOf(client, events, ctx, (e) => normalize(e) === wanted);
}

/** Every invitee of the organization's events starting in the window (rolling re-scan: catches later cancellations). */
export async function readCalendlyWindowObservations(
  client: CalendlyClient,
  window: { minStartTime: string; maxStartTime: string },
  ctx: ObservationContext,
): Promise<ProviderCallResult<ObservationRead<CalendlyMatchHints>>> {
  const events = await client.scanOrganizationEvents(window);
  if (!events.ok) return events;
  return inviteesOf(client, events, ctx, () => true);
}
