/**
 * Product rules for a lead's booking state. Booked = some provider appointment that is not
 * canceled (never sentiment alone). Otherwise the latest appointment by start time decides
 * (showed → completed, no_show → no_show, canceled → canceled). With no appointment at all,
 * `not_booked` needs a successful answer from every provider checked for the lead; a failed check
 * proves nothing, so the lead stays `unknown`. A Calendly invitee replaced by a reschedule counts as booked until
 * its successor is known (then the successor counts instead), so neither delivery order of the
 * reschedule pair ever shows `canceled`.
 */
import { compareInstants } from '../instants';
import type { BookingState, LeadAppointment, LeadLifecycle } from './lead-lifecycle-state';
import { currentAppointment, forProvider } from './lead-lifecycle-state';
import { PROVIDER_NAMES } from '../providers/provider-name';

function byEndThenId(a: LeadAppointment, b: LeadAppointment): number {
  return (
    compareInstants(a.endAt, b.endAt) ||
    compareInstants(a.startAt, b.startAt) ||
    (a.providerAppointmentId < b.providerAppointmentId ? -1 : a.providerAppointmentId > b.providerAppointmentId ? 1 : 0)
  );
}

function byStartThenId(a: LeadAppointment, b: LeadAppointment): number {
  return (
    compareInstants(a.startAt, b.startAt) ||
    compareInstants(a.endAt, b.endAt) ||
    (a.providerAppointmentId < b.providerAppointmentId ? -1 : a.providerAppointmentId > b.providerAppointmentId ? 1 : 0)
  );
}

function latest(
  list: readonly LeadAppointment[],
  order: (a: LeadAppointment, b: LeadAppointment) => number,
): LeadAppointment | null {
  let best: LeadAppointment | null = null;
  for (const a of list) if (best === null || order(a, best) > 0) best = a;
  return best;
}

export function isOpenAppointment(a: LeadAppointment): boolean {
  return a.status === 'scheduled' || a.status === 'replaced';
}

/**
 * "Nothing anywhere" needs an answer from every provider that applies to the lead: each provider
 * ever checked for it (a check is recorded only when the provider is configured and the lead has
 * its identifier) must have answered successfully at least once. One failing provider beside
 * another's "none" proves nothing. A later failure does not unlearn an earlier success.
 */
function everyCheckedProviderAnswered(state: Pick<LeadLifecycle, 'checks' | 'lastSuccessfulChecks'>): boolean {
  const providers = PROVIDER_NAMES.filter(
    (p) => forProvider(state.checks, p) !== null || forProvider(state.lastSuccessfulChecks, p) !== null,
  );
  return providers.length > 0 && providers.every((p) => forProvider(state.lastSuccessfulChecks, p) !== null);
}

/** The stored booking state and the appointment deciding it, from appointments and checks. */
export function deriveBookingState(state: Pick<LeadLifecycle, 'appointments' | 'checks' | 'lastSuccessfulChecks'>): {
  bookingState: BookingState;
  currentAppointmentId: string | null;
} {
  const all = Object.values(state.appointments);
  // A replaced invitee whose successor is known is represented by the successor.
  // An invalid appointment (GHL `invalid`) is no evidence of anything.
  const visible = all.filter(
    (a) =>
      a.status !== 'invalid' &&
      !(a.status === 'replaced' && a.rescheduledTo !== null && Object.hasOwn(state.appointments, a.rescheduledTo)),
  );
  const open = latest(visible.filter(isOpenAppointment), byEndThenId);
  if (open) return { bookingState: 'booked', currentAppointmentId: open.providerAppointmentId };
  const last = latest(visible, byStartThenId);
  if (last) {
    const bookingState: BookingState =
      last.status === 'showed' ? 'completed' : last.status === 'no_show' ? 'no_show' : 'canceled';
    return { bookingState, currentAppointmentId: last.providerAppointmentId };
  }
  return { bookingState: everyCheckedProviderAnswered(state) ? 'not_booked' : 'unknown', currentAppointmentId: null };
}

export interface BookingStateAt {
  readonly bookingState: BookingState;
  /** True when `completed` only because a verified booking's end has passed (no attendance signal). */
  readonly assumed: boolean;
}

/**
 * The booking state at `now`: a booked lead whose current (latest-ending open) appointment has
 * ended counts as completed, with `assumed` (the seed's decision until attendance signals exist).
 * A replaced invitee still waiting for its successor is not assumed completed.
 */
export function bookingStateAt(state: LeadLifecycle, now: string): BookingStateAt {
  const current = currentAppointment(state);
  if (state.bookingState === 'booked' && current?.status === 'scheduled' && compareInstants(current.endAt, now) <= 0) {
    return { bookingState: 'completed', assumed: true };
  }
  return { bookingState: state.bookingState, assumed: false };
}

/** Has provider evidence of a meeting (booked or completed, assumed or not). */
export function hasEvidence(state: BookingStateAt): boolean {
  return state.bookingState === 'booked' || state.bookingState === 'completed';
}

export function isVerified(state: BookingStateAt): boolean {
  return state.bookingState !== 'unknown';
}
