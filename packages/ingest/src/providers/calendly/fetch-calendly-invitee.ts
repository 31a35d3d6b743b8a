/**
 * Fetches one Calendly invitee by its URI (a reschedule's successor recon has not seen): the invitee
 * (`GET /scheduled_events/{event}/invitees/{invitee}`), then its scheduled event for the times, then
 * into its stream like any API read (observe-calendly-invitee.ts). A 404 on either is an answer,
 * `found: false`; any other failure is a failure (retried by the next sweep).
 */
import { mapCalendlyInvitee } from '@recon/domain';
import type { ReconcileDeps } from '../../reconcile/reconcile-deps';
import type { AppointmentFetchInput, AppointmentFetchResult } from '../provider-module';
import type { CalendlyClient } from './calendly-client';
import { observeCalendlyInvitee } from './observe-calendly-invitee';

export async function fetchCalendlyInvitee(
  deps: ReconcileDeps,
  client: CalendlyClient,
  input: AppointmentFetchInput,
): Promise<AppointmentFetchResult> {
  const invitee = await client.getInvitee(input.providerAppointmentId);
  if (!invitee.ok)
    return invitee.code === 'PROVIDER_NOT_FOUND'
      ? { ok: true, found: false, code: invitee.code }
      : { ok: false, code: invitee.code };
  const event = await client.getScheduledEvent(invitee.value.event);
  if (!event.ok)
    return event.code === 'PROVIDER_NOT_FOUND'
      ? { ok: true, found: false, code: event.code }
      : { ok: false, code: event.code };
  const mapped = mapCalendlyInvitee(event.value, invitee.value, {
    workspaceId: input.workspaceId,
    source: input.source,
    observedAt: deps.clock().toISOString(),
  });
  if (!mapped.ok) return { ok: false, code: mapped.code };
  const r = await observeCalendlyInvitee(deps, input.workspaceId, mapped.value);
  return r.ok ? { ok: true, found: true, eventsAppended: r.appended } : r;
}
