/**
 * Calendly facts → `ObserveProviderAppointment`. The appointment is the *invitee* (its URI is the
 * providerAppointmentId); the scheduled event gives the times. Rules (issue 3 §3, calendly.md §3):
 * - `invitee.canceled` with `rescheduled: true` → status canceled + `rescheduledTo` = new invitee:
 *   the decider treats it as a reschedule, never a cancellation.
 * - the new invitee of a reschedule carries `old_invitee` → `rescheduledFrom`.
 * - `invitee_no_show.created` → no_show; `invitee_no_show.deleted` → scheduled (a retraction).
 * - `cancellation.canceler_type` → `canceledBy` (role only; names and reasons are dropped).
 * Provider update time: the invitee's `updated_at`; for no-show events the later of that and the
 * delivery's `created_at`, since an unmarked no-show may not move `updated_at`.
 */
import type { AppointmentStatus } from '../../events/appointment-events';
import type { CalendlyInvitee, CalendlyInviteeDelivery, CalendlyScheduledEvent } from './calendly-schemas';
import type { CalendlyFailureCode, CalendlyMatchHints } from './calendly-observation';
import {
  type MappedObservation,
  type ObservationContext,
  finishObservation,
  laterInstant,
} from '../observation-context';
import type { ProviderResult } from '../provider-parse-result';
import { utmBookingTokens } from '../utm-booking-tokens';

const CODE = 'CALENDLY_PAYLOAD_INVALID' as const;

type Result = ProviderResult<MappedObservation<CalendlyMatchHints>, CalendlyFailureCode>;

/** The status an invitee's current state implies (used for API reads and `invitee.created`). */
function statusOfInvitee(invitee: CalendlyInvitee): AppointmentStatus {
  if (invitee.status === 'canceled') return 'canceled';
  if (invitee.no_show) return 'no_show';
  return 'scheduled';
}

function statusOfDelivery(delivery: CalendlyInviteeDelivery): AppointmentStatus {
  const { event, payload } = delivery;
  switch (event) {
    case 'invitee.created':
      return statusOfInvitee(payload);
    case 'invitee.canceled':
      return 'canceled';
    case 'invitee_no_show.created':
      return 'no_show';
    case 'invitee_no_show.deleted':
      return payload.status === 'canceled' ? 'canceled' : 'scheduled';
    default: {
      const never: never = event;
      return never;
    }
  }
}

export function calendlyMatchHints(invitee: CalendlyInvitee, event: CalendlyScheduledEvent): CalendlyMatchHints {
  return {
    provider: 'calendly',
    inviteeEmail: invitee.email,
    guestEmails: (event.event_guests ?? []).map((g) => g.email).filter((e) => e.length > 0),
    utmTokens: utmBookingTokens([invitee.tracking?.utm_content, invitee.tracking?.utm_term]),
  };
}

function build(
  invitee: CalendlyInvitee,
  event: CalendlyScheduledEvent,
  status: AppointmentStatus,
  providerUpdatedAt: string | null,
  ctx: ObservationContext,
): Result {
  if (invitee.event !== event.uri)
    return { ok: false, code: CODE, issues: ['invitee.event: does not match the scheduled event'] };
  const canceled = status === 'canceled';
  return finishObservation(
    {
      provider: 'calendly',
      providerAppointmentId: invitee.uri,
      calendlyEventUri: event.uri,
      status,
      startAt: new Date(event.start_time).toISOString(),
      endAt: new Date(event.end_time).toISOString(),
      providerUpdatedAt,
      rescheduledFrom: invitee.old_invitee ?? null,
      rescheduledTo: canceled && invitee.rescheduled === true ? (invitee.new_invitee ?? null) : null,
      canceledBy: canceled ? (invitee.cancellation?.canceler_type ?? event.cancellation?.canceler_type ?? null) : null,
      deleted: false,
    },
    calendlyMatchHints(invitee, event),
    ctx,
    CODE,
  );
}

/** A parsed invitee webhook delivery → observation + match hints. */
export function mapCalendlyDelivery(delivery: CalendlyInviteeDelivery, ctx: ObservationContext): Result {
  const { payload } = delivery;
  const noShowEvent = delivery.event === 'invitee_no_show.created' || delivery.event === 'invitee_no_show.deleted';
  const updatedAt = noShowEvent
    ? laterInstant(laterInstant(payload.updated_at, delivery.created_at), payload.no_show?.created_at)
    : laterInstant(payload.updated_at, null);
  return build(payload, payload.scheduled_event, statusOfDelivery(delivery), updatedAt, ctx);
}

/** An invitee read from the API (List Event Invitees) with its scheduled event → observation + hints. */
export function mapCalendlyInvitee(
  event: CalendlyScheduledEvent,
  invitee: CalendlyInvitee,
  ctx: ObservationContext,
): Result {
  return build(invitee, event, statusOfInvitee(invitee), laterInstant(invitee.updated_at, null), ctx);
}
