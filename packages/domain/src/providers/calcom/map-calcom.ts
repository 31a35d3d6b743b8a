/**
 * Cal.com facts → `ObserveProviderAppointment`. An appointment is a booking: its `uid` is the
 * providerAppointmentId. Rules (docs/providers/calcom.md, "Mapping"):
 * - `BOOKING_CREATED` (accepted) → scheduled. A pending or awaiting-host booking is not a meeting
 *   yet: ignored (Cal.com sends `BOOKING_CREATED` with the same uid when the host confirms).
 * - `BOOKING_RESCHEDULED` describes the *new* booking; Cal.com sends nothing for the old one, which
 *   it cancels with `rescheduled = true`. One delivery therefore yields two observations, the same
 *   chain as Calendly's: the new booking scheduled with `rescheduledFrom` = `rescheduleUid`, and the
 *   old booking canceled with `rescheduledTo` = the new uid (a reschedule, never a cancellation).
 * - `BOOKING_CANCELLED` → canceled; `cancelledBy` compared with the organizer / attendees gives the
 *   role (host / invitee). A host's "request reschedule" is a cancellation until the lead rebooks.
 * - Attendance (`BOOKING_NO_SHOW_UPDATED`, API `attendees[].absent`) → no_show; an unmarked
 *   attendee → scheduled (a retraction, not proof of attendance). The no-show payload has no times:
 *   the caller passes the appointment's known times.
 * Versions: a delivery's `createdAt` (its send time; Cal.com has no update time in webhooks), the
 * API's `updatedAt`. A cancellation is final and carries no version; neither does an API no-show,
 * since marking an attendee does not move the booking's `updatedAt`.
 */
import type { ObserveProviderAppointment } from '../../observation';
import type { AppointmentStatus } from '../../events/appointment-events';
import { type MappedObservation, type ObservationContext, finishObservation } from '../observation-context';
import type { ProviderResult } from '../provider-parse-result';
import { utmBookingTokens } from '../utm-booking-tokens';
import { CALCOM_PAYLOAD_INVALID, type CalcomFailureCode, type CalcomMatchHints } from './calcom-observation';
import type { CalcomApiBooking, CalcomBookingDelivery, CalcomBookingPayload } from './calcom-schemas';

type Result<T> = ProviderResult<T, CalcomFailureCode>;
type Draft = Omit<ObserveProviderAppointment, 'type' | 'workspaceId' | 'leadId' | 'source' | 'observedAt'>;

const MAX_GUESTS = 50;

/** A booking delivery recon uses: the booking as it now is, and the booking it replaced (reschedules). */
export interface CalcomDeliveryObservations {
  readonly current: ObserveProviderAppointment;
  /** The old booking of a reschedule, canceled with `rescheduledTo` = the current one. */
  readonly replaced: ObserveProviderAppointment | null;
  readonly hints: CalcomMatchHints;
}

export type CalcomDeliveryMapping =
  | { readonly kind: 'observed'; readonly value: CalcomDeliveryObservations }
  | { readonly kind: 'ignored'; readonly type: string };

const instant = (t: string) => new Date(t).toISOString();
const same = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

function uniqueOthers(first: string, emails: readonly string[]): string[] {
  const out: string[] = [];
  for (const e of emails) if (!same(e, first) && !out.some((o) => same(o, e))) out.push(e);
  return out.slice(0, MAX_GUESTS);
}

export function calcomWebhookHints(payload: CalcomBookingPayload): CalcomMatchHints {
  const attendees = (payload.attendees ?? []).map((a) => a.email).filter((e) => e.trim() !== '');
  const booker = attendees[0] ?? stringsOf(payload.responses?.email?.value)[0] ?? '';
  return {
    provider: 'calcom',
    attendeeEmail: booker,
    guestEmails: uniqueOthers(booker, [...attendees.slice(1), ...stringsOf(payload.responses?.guests?.value)]),
    utmTokens: utmBookingTokens([payload.tracking?.utm_content, payload.tracking?.utm_term]),
  };
}

export function calcomApiHints(booking: CalcomApiBooking): CalcomMatchHints {
  const attendees = (booking.attendees ?? []).map((a) => a.email).filter((e) => e.trim() !== '');
  const booker = attendees[0] ?? stringsOf(booking.bookingFieldsResponses?.email)[0] ?? '';
  const meta = booking.metadata ?? {};
  const metaString = (k: string) => (typeof meta[k] === 'string' ? (meta[k] as string) : null);
  return {
    provider: 'calcom',
    attendeeEmail: booker,
    guestEmails: uniqueOthers(booker, [
      ...attendees.slice(1),
      ...(booking.guests ?? []),
      ...stringsOf(booking.bookingFieldsResponses?.guests),
    ]),
    utmTokens: utmBookingTokens([metaString('utm_content'), metaString('utm_term')]),
  };
}

function canceledBy(
  by: string | null | undefined,
  hosts: readonly (string | null | undefined)[],
  attendees: readonly string[],
): 'host' | 'invitee' | null {
  if (!by) return null;
  if (hosts.some((h) => same(h, by))) return 'host';
  return attendees.some((a) => same(a, by)) ? 'invitee' : null;
}

function draft(
  uid: string,
  status: AppointmentStatus,
  startAt: string,
  endAt: string,
  extra: Partial<Draft> = {},
): Draft {
  return {
    provider: 'calcom',
    providerAppointmentId: uid,
    calendlyEventUri: null,
    status,
    startAt: instant(startAt),
    endAt: instant(endAt),
    providerUpdatedAt: null,
    rescheduledFrom: null,
    rescheduledTo: null,
    canceledBy: null,
    deleted: false,
    ...extra,
  };
}

function finish(
  d: Draft,
  hints: CalcomMatchHints,
  ctx: ObservationContext,
): Result<MappedObservation<CalcomMatchHints>> {
  return finishObservation(d, hints, ctx, CALCOM_PAYLOAD_INVALID);
}

const NOT_YET_BOOKED = new Set(['PENDING', 'AWAITING_HOST', 'REJECTED']);

/** A parsed booking delivery (created / rescheduled / cancelled) → observations + match hints. */
export function mapCalcomBookingDelivery(
  delivery: CalcomBookingDelivery,
  ctx: ObservationContext,
): Result<CalcomDeliveryMapping> {
  const { payload, triggerEvent, createdAt } = delivery;
  const hints = calcomWebhookHints(payload);
  const status = (payload.status ?? '').toUpperCase();
  if (triggerEvent === 'BOOKING_CANCELLED') {
    const by = canceledBy(
      payload.cancelledBy,
      [payload.organizer?.email],
      (payload.attendees ?? []).map((a) => a.email),
    );
    const current = finish(
      draft(payload.uid, 'canceled', payload.startTime, payload.endTime, { canceledBy: by }),
      hints,
      ctx,
    );
    return current.ok
      ? { ok: true, value: { kind: 'observed', value: { current: current.value.observation, replaced: null, hints } } }
      : current;
  }
  if (NOT_YET_BOOKED.has(status)) return { ok: true, value: { kind: 'ignored', type: `${triggerEvent}:${status}` } };
  const from = payload.rescheduleUid && payload.rescheduleUid !== payload.uid ? payload.rescheduleUid : null;
  const current = finish(
    draft(payload.uid, 'scheduled', payload.startTime, payload.endTime, {
      providerUpdatedAt: instant(createdAt),
      rescheduledFrom: from,
    }),
    hints,
    ctx,
  );
  if (!current.ok) return current;
  let replaced: ObserveProviderAppointment | null = null;
  if (from !== null) {
    // The old booking's times, when Cal.com sends them; else the new ones (only the link matters).
    const oldStart = payload.rescheduleStartTime ?? payload.startTime;
    const oldEnd = payload.rescheduleEndTime ?? payload.endTime;
    const old = finish(draft(from, 'canceled', oldStart, oldEnd, { rescheduledTo: payload.uid }), hints, ctx);
    if (!old.ok) return old;
    replaced = old.value.observation;
  }
  return { ok: true, value: { kind: 'observed', value: { current: current.value.observation, replaced, hints } } };
}

/** One attendee's no-show mark (`noShow: true`) or its removal, on a booking whose times recon holds. */
export function mapCalcomAttendance(
  input: {
    readonly bookingUid: string;
    readonly noShow: boolean;
    readonly at: string;
    readonly startAt: string;
    readonly endAt: string;
  },
  ctx: ObservationContext,
): Result<ObserveProviderAppointment> {
  const hints: CalcomMatchHints = { provider: 'calcom', attendeeEmail: '', guestEmails: [], utmTokens: [] };
  const mapped = finish(
    draft(input.bookingUid, input.noShow ? 'no_show' : 'scheduled', input.startAt, input.endAt, {
      providerUpdatedAt: instant(input.at),
    }),
    hints,
    ctx,
  );
  return mapped.ok ? { ok: true, value: mapped.value.observation } : mapped;
}

/**
 * A booking read from `GET /v2/bookings` → observation + hints, or null when it is no meeting
 * (pending, awaiting host, rejected). `isLead` tells which attendee is the lead (its `absent`
 * flag is the lead's attendance); the caller compares normalized emails.
 */
export function mapCalcomApiBooking(
  booking: CalcomApiBooking,
  isLead: (email: string) => boolean,
  ctx: ObservationContext,
): Result<MappedObservation<CalcomMatchHints> | null> {
  const hints = calcomApiHints(booking);
  const status = booking.status.toLowerCase();
  const attendees = booking.attendees ?? [];
  const version = booking.updatedAt ? instant(booking.updatedAt) : null;
  if (status === 'cancelled') {
    const rescheduledTo = booking.rescheduledToUid ?? null;
    const by =
      rescheduledTo === null
        ? canceledBy(
            booking.cancelledByEmail,
            (booking.hosts ?? []).map((h) => h.email),
            attendees.map((a) => a.email),
          )
        : null;
    return finish(
      draft(booking.uid, 'canceled', booking.start, booking.end, {
        rescheduledTo,
        canceledBy: by,
        rescheduledFrom: booking.rescheduledFromUid ?? null,
      }),
      hints,
      ctx,
    );
  }
  if (status !== 'accepted') return { ok: true, value: null };
  const absent = attendees.some((a) => a.absent === true && isLead(a.email));
  const extra = { rescheduledFrom: booking.rescheduledFromUid ?? null, providerUpdatedAt: absent ? null : version };
  return finish(draft(booking.uid, absent ? 'no_show' : 'scheduled', booking.start, booking.end, extra), hints, ctx);
}
