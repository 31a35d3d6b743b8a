/** Calendly reads as observations, by invitee email or by window (see ../observation-read.ts). */
import {
  type CalendlyMatchHints,
  type MappedObservation,
  type ObservationContext,
  mapCalendlyInvitee,
} from '@recon/domain';
import type { ObservationRead } from '../observation-read';
import type { ProviderCallResult } from '../provider-call-result';
import type { CalendlyClient } from './calendly-client';

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
