/**
 * The lead lifecycle fold. Feed it, in store order, the lead's own events and the appointment
 * events whose `data.leadId` is this lead (an `AppointmentLinkedToLead` carries the appointment's
 * status at link time, so events written while it was unmatched need not be replayed). Each event
 * must be applied once (counts are not idempotent: the projection's position guard ensures that).
 * Appointment events for another lead are ignored.
 */
import { isLeadEvent } from '../event-kinds';
import { assertNever } from '../assert-never';
import type { AppointmentEvent, AppointmentLifecycleStatus } from '../events/appointment-events';
import type { LeadEvent } from '../events/lead-events';
import type { ReconEvent } from '../events/recon-event';
import { compareInstants, laterOf, sameInstant } from '../instants';
import { nextTaskOccurrences } from '../follow-up/task-occurrences';
import { deriveBookingState } from './booking-state';
import type { LeadAppointment, LeadCounts, LeadLifecycle } from './lead-lifecycle-state';
import { appointmentById, forProvider, initialLeadLifecycle } from './lead-lifecycle-state';

function evolveLeadEvent(state: LeadLifecycle, event: LeadEvent): LeadLifecycle {
  const ids = { workspaceId: event.data.workspaceId, leadId: event.data.leadId };
  switch (event.type) {
    case 'LeadRegistered':
    case 'LeadContactChanged': {
      const d = event.data;
      const contact = {
        emailHash: d.emailHash,
        alternateEmailHashes: [...d.alternateEmailHashes],
        ghlContactId: d.ghlContactId,
      };
      return { ...state, ...ids, registered: true, contact };
    }
    case 'LeadContactErased':
      // Erasure: no identifier is left for matching or the mismatch rules; state and history stay.
      return { ...state, ...ids, contact: { emailHash: null, alternateEmailHashes: [], ghlContactId: null } };
    case 'LeadSentimentClassified': {
      const { label, classifiedAt } = event.data;
      // A late-delivered older classification never overwrites a newer one.
      if (state.sentiment && compareInstants(classifiedAt, state.sentiment.classifiedAt) < 0)
        return { ...state, ...ids };
      return { ...state, ...ids, sentiment: { label, classifiedAt } };
    }
    case 'LeadInboundActivityRecorded':
      return {
        ...state,
        ...ids,
        lastInboundAt: event.data.lastInboundAt,
        lastMessageDirection: event.data.lastMessageDirection,
      };
    case 'LeadProviderChecked': {
      const { provider, checkedAt, outcome, range } = event.data;
      if (range !== undefined) {
        // A range-limited check is no watermark and proves nothing: kept only so a re-run over the same range decides nothing.
        const rangedChecks = { ...state.rangedChecks, [provider]: { checkedAt, outcome, range } };
        return { ...state, ...ids, rangedChecks };
      }
      const check = { checkedAt, outcome };
      const newer = (previous: { checkedAt: string } | null) =>
        previous === null || compareInstants(checkedAt, previous.checkedAt) >= 0;
      const checks = newer(forProvider(state.checks, provider)) ? { ...state.checks, [provider]: check } : state.checks;
      const success = outcome.kind !== 'failed' && newer(forProvider(state.lastSuccessfulChecks, provider));
      const lastSuccessfulChecks = success
        ? { ...state.lastSuccessfulChecks, [provider]: check }
        : state.lastSuccessfulChecks;
      return withDerived({ ...state, ...ids, checks, lastSuccessfulChecks }, checkedAt);
    }
    case 'LeadBookedLabelUnverified': {
      const { labelClassifiedAt, checkedAt } = event.data;
      return { ...state, ...ids, labelUnverified: { labelClassifiedAt, checkedAt } };
    }
    case 'FollowUpTaskResolved':
      if (state.resolvedTaskIds.includes(event.data.taskId)) return { ...state, ...ids };
      return { ...state, ...ids, resolvedTaskIds: [...state.resolvedTaskIds, event.data.taskId] };
    default:
      return assertNever(event, 'lead event');
  }
}

function countFor(status: AppointmentLifecycleStatus, rescheduledFrom: string | null, counts: LeadCounts): LeadCounts {
  return {
    bookings: counts.bookings + (rescheduledFrom === null && status !== 'invalid' ? 1 : 0),
    cancellations: counts.cancellations + (status === 'canceled' ? 1 : 0),
    reschedules: counts.reschedules + (status === 'replaced' ? 1 : 0),
    noShows: counts.noShows + (status === 'no_show' ? 1 : 0),
  };
}

function evolveAppointmentEvent(state: LeadLifecycle, event: AppointmentEvent): LeadLifecycle {
  const d = event.data;
  if (d.leadId !== null && state.leadId !== null && d.leadId !== state.leadId) return state;
  const at = event.type === 'AppointmentLinkedToLead' ? event.data.linkedAt : d.observedAt;
  const known = appointmentById(state, d.providerAppointmentId);
  const base: LeadAppointment = {
    provider: d.provider,
    providerAppointmentId: d.providerAppointmentId,
    calendlyEventUri: d.calendlyEventUri ?? known?.calendlyEventUri ?? null,
    status: known?.status ?? 'scheduled',
    startAt: d.startAt,
    endAt: d.endAt,
    rescheduledFrom: known?.rescheduledFrom ?? null,
    rescheduledTo: known?.rescheduledTo ?? null,
    // The newest version reflected: late history never moves it back.
    providerUpdatedAt: laterOf(known?.providerUpdatedAt ?? null, d.providerUpdatedAt),
    statusSince: known?.statusSince ?? at,
  };
  const withStatus = (status: AppointmentLifecycleStatus): LeadAppointment =>
    status === base.status && known ? base : { ...base, status, statusSince: at };
  let appointment: LeadAppointment;
  let counts = state.counts;
  const was = known?.status ?? null;
  switch (event.type) {
    case 'AppointmentBooked': {
      // Counts move on transitions only: a restated fact never double counts.
      const isNew = was === null || was === 'canceled' || was === 'replaced' || was === 'invalid';
      appointment = { ...withStatus('scheduled'), rescheduledFrom: event.data.rescheduledFrom, rescheduledTo: null };
      counts = { ...counts, bookings: counts.bookings + (isNew && event.data.rescheduledFrom === null ? 1 : 0) };
      break;
    }
    case 'AppointmentRescheduled': {
      const to = event.data.rescheduledTo;
      const moved =
        !sameInstant(event.data.previousStartAt, d.startAt) || !sameInstant(event.data.previousEndAt, d.endAt);
      appointment = to === null ? base : { ...withStatus('replaced'), rescheduledTo: to };
      const counted = to === null ? moved : was !== 'replaced';
      counts = { ...counts, reschedules: counts.reschedules + (counted ? 1 : 0) };
      break;
    }
    case 'AppointmentCanceled':
      appointment = withStatus('canceled');
      counts = { ...counts, cancellations: counts.cancellations + (was === 'canceled' ? 0 : 1) };
      break;
    case 'AppointmentAttended':
      appointment = withStatus('showed');
      break;
    case 'AppointmentNoShowMarked':
      appointment = withStatus('no_show');
      counts = { ...counts, noShows: counts.noShows + (was === 'no_show' ? 0 : 1) };
      break;
    case 'AppointmentNoShowRetracted':
      appointment = withStatus('scheduled');
      counts = { ...counts, noShows: Math.max(0, counts.noShows - (was === 'no_show' ? 1 : 0)) };
      break;
    case 'AppointmentMarkedInvalid':
      appointment = withStatus('invalid');
      break;
    case 'AppointmentOutcomeUnknown':
    case 'AppointmentRescheduleUnconfirmed':
      // A review request, not a fact about the meeting.
      appointment = base;
      break;
    case 'AppointmentVersionObserved': {
      // History changes nothing current; as evidence it counts what happened before.
      const o = event.data;
      const movedBefore = !sameInstant(o.observedStartAt, d.startAt) || !sameInstant(o.observedEndAt, d.endAt);
      appointment = base;
      counts = {
        ...counts,
        reschedules: counts.reschedules + (o.historical && movedBefore ? 1 : 0),
        cancellations:
          counts.cancellations + (o.historical && o.observedStatus === 'canceled' && was !== 'canceled' ? 1 : 0),
      };
      break;
    }
    case 'AppointmentLinkedToLead': {
      if (known) return { ...state, workspaceId: d.workspaceId, leadId: event.data.leadId };
      const current = event.data.current ?? { status: 'scheduled', rescheduledFrom: null, rescheduledTo: null };
      appointment = {
        ...base,
        status: current.status,
        rescheduledFrom: current.rescheduledFrom,
        rescheduledTo: current.rescheduledTo,
      };
      counts = countFor(current.status, current.rescheduledFrom, counts);
      break;
    }
    default:
      return assertNever(event, 'appointment event');
  }
  const next: LeadLifecycle = {
    ...state,
    workspaceId: state.workspaceId ?? d.workspaceId,
    leadId: state.leadId ?? d.leadId,
    appointments: { ...state.appointments, [d.providerAppointmentId]: appointment },
    counts,
  };
  const taskOccurrences = nextTaskOccurrences(state, next, event);
  return withDerived(taskOccurrences === undefined ? next : { ...next, taskOccurrences }, at);
}

/** Recomputes the booking state; `at` is when the change happened (kept as `bookingStateSince`). */
function withDerived(state: LeadLifecycle, at: string): LeadLifecycle {
  const { bookingState, currentAppointmentId } = deriveBookingState(state);
  const changed = bookingState !== state.bookingState;
  return {
    ...state,
    bookingState,
    currentAppointmentId,
    bookingStateSince: changed ? (bookingState === 'unknown' ? null : at) : state.bookingStateSince,
  };
}

/** One step of the lead fold. Pure; returns a new plain-JSON state. */
export function evolveLeadLifecycle(state: LeadLifecycle, event: ReconEvent): LeadLifecycle {
  return isLeadEvent(event) ? evolveLeadEvent(state, event) : evolveAppointmentEvent(state, event);
}

/** The whole fold from the initial state (tests, rebuilds of a single lead). */
export function leadLifecycleFromEvents(events: Iterable<ReconEvent>): LeadLifecycle {
  let state = initialLeadLifecycle();
  for (const event of events) state = evolveLeadLifecycle(state, event);
  return state;
}
