/** GHL reads as observations (see ../observation-read.ts). */
import {
  type GhlMatchHints,
  type MappedObservation,
  type ObservationContext,
  mapGhlContactAppointment,
} from '@recon/domain';
import type { ObservationRead } from '../observation-read';
import type { ProviderCallResult } from '../provider-call-result';
import type { GhlClient } from './ghl-client';

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
