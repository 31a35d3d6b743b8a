/**
 * The appointment decider: "the provider says this appointment is now like so" → the events that
 * bring the stream there, or none when the stream already reflects it (the idempotence guard).
 *
 * Rules:
 * - Versions: when both the stream and the observation carry providerUpdatedAt, an observation not
 *   newer than the stream is *history*, not noise. A version the stream has recorded decides
 *   nothing (a duplicate); an unseen older version decides `AppointmentVersionObserved`
 *   (historical): it changes nothing current, but it is evidence of what happened before (times
 *   other than the current ones: a reschedule happened; canceled: a cancellation happened). So the
 *   same set of deliveries gives the same current state and the same review tasks in any order.
 *   Without a version on either side the fact itself is compared: same status and times decide
 *   nothing, and deliveries apply in arrival order.
 * - A newer version stating the same fact decides `AppointmentVersionObserved` (not historical):
 *   the version watermark moves with the provider, so a late older, different version of an
 *   A → B → A history is recognised as history instead of being applied.
 * - First sight: `AppointmentBooked`, then whatever brings it to the observed status. A first
 *   observation that is already canceled therefore yields Booked + Canceled: the booking existed.
 * - Times moved (same id, GHL) → `AppointmentRescheduled`, whatever the status (a canceled
 *   appointment whose record moved was moved before or while it was canceled; a delete repeats
 *   the last times GHL held, so other times there mean a move recon missed).
 * - Calendly invitee canceled with `rescheduledTo` → `AppointmentRescheduled` pointing at the new
 *   invitee, never `AppointmentCanceled`; the new invitee is `AppointmentBooked` with
 *   `rescheduledFrom`. A canceled (or replaced) Calendly invitee is final: Calendly never
 *   reactivates one, so no later observation or no-show mark opens it again, and a Calendly
 *   cancellation applies whatever version it carries.
 * - scheduled → canceled / showed / no_show: Canceled / Attended / NoShowMarked; no_show →
 *   scheduled: NoShowRetracted; no_show → showed: NoShowRetracted + Attended; canceled, replaced
 *   or showed → scheduled again: Booked again (GHL). A replaced invitee is never canceled
 *   afterwards. A GHL delete always applies and is final; later observations are history.
 * - GHL `invalid` → `AppointmentMarkedInvalid` (first seen invalid: only that, no booking):
 *   neither a meeting nor a cancellation; valid again → Booked.
 * - An unmatched appointment observed with a lead id gets `AppointmentLinkedToLead` first.
 */
import { assertNever } from '../assert-never';
import type { AppointmentEvent, AppointmentLifecycleStatus } from '../events/appointment-events';
import { compareInstants, sameInstant } from '../instants';
import type { ObserveProviderAppointment } from '../observation';
import { domainProvider } from '../providers/provider-registry';
import {
  hasSeenVersion,
  type AppointmentMemory,
  type AppointmentSnapshot,
  type AppointmentState,
} from './appointment-state';

/** The status an observation asks for, in recon's terms. */
export function observedStatus(command: ObserveProviderAppointment): AppointmentLifecycleStatus {
  if (command.deleted) return 'canceled';
  if (command.status === 'canceled' && command.rescheduledTo !== null) return 'replaced';
  return command.status;
}

/** A final fact applies whatever version it carries: a GHL delete, a Calendly cancellation. */
function isFinalFact(command: ObserveProviderAppointment): boolean {
  return command.deleted || (domainProvider(command.provider).cancellationIsFinal && command.status === 'canceled');
}

function isStale(command: ObserveProviderAppointment, state: AppointmentSnapshot): boolean {
  if (isFinalFact(command)) return false;
  if (command.providerUpdatedAt === null || state.providerUpdatedAt === null) return false;
  return compareInstants(command.providerUpdatedAt, state.providerUpdatedAt) <= 0;
}

function isNewerVersion(command: ObserveProviderAppointment, state: AppointmentSnapshot): boolean {
  if (command.providerUpdatedAt === null) return false;
  return state.providerUpdatedAt === null || compareInstants(command.providerUpdatedAt, state.providerUpdatedAt) > 0;
}

/** Nothing brings it back: a GHL hard delete, a canceled or replaced Calendly invitee. */
function isFinalState(state: AppointmentSnapshot): boolean {
  return (
    state.deleted ||
    (domainProvider(state.provider).cancellationIsFinal && (state.status === 'canceled' || state.status === 'replaced'))
  );
}

function facts(command: ObserveProviderAppointment, leadId: string | null, calendlyEventUri: string | null) {
  return {
    workspaceId: command.workspaceId,
    leadId,
    provider: command.provider,
    providerAppointmentId: command.providerAppointmentId,
    calendlyEventUri,
    startAt: command.startAt,
    endAt: command.endAt,
    source: command.source,
    observedAt: command.observedAt,
    providerUpdatedAt: command.providerUpdatedAt,
  };
}

type CommonFacts = ReturnType<typeof facts>;

interface Times {
  readonly startAt: string;
  readonly endAt: string;
}

/** Events taking an active (scheduled) appointment to `to`; `prev` are the times it had. */
function fromScheduled(
  to: AppointmentLifecycleStatus,
  f: CommonFacts,
  command: ObserveProviderAppointment,
  prev: Times,
): AppointmentEvent[] {
  switch (to) {
    case 'scheduled':
      return [];
    case 'canceled':
      return [
        { type: 'AppointmentCanceled', data: { ...f, canceledBy: command.canceledBy, deleted: command.deleted } },
      ];
    case 'replaced':
      return [
        {
          type: 'AppointmentRescheduled',
          data: {
            ...f,
            previousStartAt: prev.startAt,
            previousEndAt: prev.endAt,
            rescheduledTo: command.rescheduledTo,
          },
        },
      ];
    case 'showed':
      return [{ type: 'AppointmentAttended', data: f }];
    case 'no_show':
      return [{ type: 'AppointmentNoShowMarked', data: f }];
    case 'invalid':
      return [{ type: 'AppointmentMarkedInvalid', data: f }];
    default:
      return assertNever(to, 'appointment status');
  }
}

function booked(f: CommonFacts, command: ObserveProviderAppointment): AppointmentEvent {
  return { type: 'AppointmentBooked', data: { ...f, rescheduledFrom: command.rescheduledFrom } };
}

/**
 * Events taking an existing appointment from `state.status` to `to` (a move of an active
 * appointment's times is handled before). Whenever the observed fact differs from the stream's
 * in anything tracked (status, times, successor, deletion), at least one event is decided, so
 * the stream's version watermark always moves with the fact (needed for order independence).
 */
function transition(
  state: AppointmentSnapshot,
  to: AppointmentLifecycleStatus,
  f: CommonFacts,
  command: ObserveProviderAppointment,
): AppointmentEvent[] {
  const from = state.status;
  switch (from) {
    case 'scheduled':
      return fromScheduled(to, f, command, state);
    case 'canceled':
      if (to === 'canceled') {
        const deletedNow = command.deleted && !state.deleted;
        return deletedNow
          ? [
              {
                type: 'AppointmentCanceled',
                data: { ...f, canceledBy: command.canceledBy, deleted: command.deleted || state.deleted },
              },
            ]
          : [];
      }
      // A cancel that turns out to be a reschedule, or an appointment active again.
      return to === 'replaced'
        ? fromScheduled(to, f, command, state)
        : [booked(f, command), ...fromScheduled(to, f, command, f)];
    case 'replaced':
      if (to === 'replaced')
        return timesChanged(command, state) || command.rescheduledTo !== state.rescheduledTo
          ? fromScheduled(to, f, command, state)
          : [];
      // A replaced invitee is never canceled afterwards: its successor carries the meeting.
      if (to === 'canceled') return [];
      return [booked(f, command), ...fromScheduled(to, f, command, f)];
    case 'showed':
      // A provider putting an attended appointment back to scheduled: it is booked again.
      if (to === 'scheduled') return [booked(f, command)];
      return to === 'showed' ? [] : fromScheduled(to, f, command, state);
    case 'no_show':
      if (to === 'scheduled') return [{ type: 'AppointmentNoShowRetracted', data: f }];
      if (to === 'showed')
        return [
          { type: 'AppointmentNoShowRetracted', data: f },
          { type: 'AppointmentAttended', data: f },
        ];
      return to === 'no_show' ? [] : fromScheduled(to, f, command, state);
    case 'invalid':
      // An invalid appointment was never a meeting: valid again is a booking, canceled a cancellation.
      if (to === 'invalid') return [];
      return to === 'canceled' || to === 'replaced'
        ? fromScheduled(to, f, command, state)
        : [booked(f, command), ...fromScheduled(to, f, command, f)];
    default:
      return assertNever(from, 'appointment status');
  }
}

function timesChanged(command: ObserveProviderAppointment, state: AppointmentSnapshot): boolean {
  return !sameInstant(command.startAt, state.startAt) || !sameInstant(command.endAt, state.endAt);
}

/**
 * A provider still saying `scheduled` about a meeting an operator answered for (attended or no-show,
 * `source: 'manual'`) reports no attendance: the operator's answer stands. Moved times are a new
 * meeting (booked again); a provider's own showed / no_show report overrides (record-attendance.ts).
 */
function keptManualAnswer(
  command: ObserveProviderAppointment,
  state: AppointmentState,
): AppointmentLifecycleStatus | null {
  if (state.status === 'absent' || state.attendanceSource !== 'manual') return null;
  if (state.status !== 'showed' && state.status !== 'no_show') return null;
  return observedStatus(command) === 'scheduled' && !timesChanged(command, state) ? state.status : null;
}

/** Decide what an observation adds to an appointment stream. Pure; `[]` means "already reflected". */
export function decideAppointment(command: ObserveProviderAppointment, state: AppointmentState): AppointmentEvent[] {
  const to = keptManualAnswer(command, state) ?? observedStatus(command);
  if (state.status === 'absent') {
    const f = facts(command, command.leadId, command.calendlyEventUri);
    // First seen already invalid: no booking ever existed as far as recon can tell.
    if (to === 'invalid') return fromScheduled(to, f, command, f);
    return [booked(f, command), ...fromScheduled(to, f, command, f)];
  }
  if (
    state.provider !== command.provider ||
    state.providerAppointmentId !== command.providerAppointmentId ||
    state.workspaceId !== command.workspaceId
  ) {
    throw new Error('decideAppointment: observation of another appointment than the stream holds');
  }
  const events: AppointmentEvent[] = [];
  const leadId = state.leadId ?? command.leadId;
  const calendlyEventUri = command.calendlyEventUri ?? state.calendlyEventUri;
  const f = facts(command, leadId, calendlyEventUri);
  if (state.leadId === null && command.leadId !== null) {
    // Even a stale observation may tell us whose appointment this is.
    events.push(linkEvent(state, f, command.leadId, command.matchedBy ?? 'lead_id', command.observedAt));
  }
  if (isStale(command, state)) return [...events, ...history(command, state, f)];
  if (isFinalState(state)) {
    // Only a final fact adds to a final appointment (a delete after a cancel; a Calendly cancel
    // that turns out to be a reschedule); anything else is an older snapshot: history.
    const finalToo = (command.deleted && !state.deleted) || (state.status === 'canceled' && to === 'replaced');
    if (!finalToo) return [...events, ...history(command, state, f)];
  }
  const decided: AppointmentEvent[] = [];
  if (timesChanged(command, state) && to !== 'replaced') {
    decided.push({
      type: 'AppointmentRescheduled',
      data: { ...f, previousStartAt: state.startAt, previousEndAt: state.endAt, rescheduledTo: null },
    });
  }
  decided.push(...transition(state, to, f, command));
  if (decided.length === 0 && isNewerVersion(command, state)) decided.push(versionObserved(command, state, f, false));
  return [...events, ...decided];
}

/** A version older than the stream's (or after a final fact): recorded once, as evidence. */
function history(
  command: ObserveProviderAppointment,
  state: AppointmentSnapshot & AppointmentMemory,
  f: CommonFacts,
): AppointmentEvent[] {
  if (command.providerUpdatedAt === null || hasSeenVersion(state, command.providerUpdatedAt)) return [];
  return [versionObserved(command, state, f, true)];
}

function versionObserved(
  command: ObserveProviderAppointment,
  state: AppointmentSnapshot,
  f: CommonFacts,
  historical: boolean,
): AppointmentEvent {
  return {
    type: 'AppointmentVersionObserved',
    data: {
      ...f,
      startAt: state.startAt,
      endAt: state.endAt,
      historical,
      observedStatus: command.deleted ? 'canceled' : command.status,
      observedStartAt: command.startAt,
      observedEndAt: command.endAt,
    },
  };
}

function linkEvent(
  state: AppointmentSnapshot,
  f: CommonFacts,
  leadId: string,
  matchedBy: NonNullable<ObserveProviderAppointment['matchedBy']>,
  linkedAt: string,
): AppointmentEvent {
  // The link records the stream as it stands before this observation's own changes.
  const data = {
    ...f,
    startAt: state.startAt,
    endAt: state.endAt,
    providerUpdatedAt: state.providerUpdatedAt,
    leadId,
    matchedBy,
    linkedAt,
    current: { status: state.status, rescheduledFrom: state.rescheduledFrom, rescheduledTo: state.rescheduledTo },
  };
  return { type: 'AppointmentLinkedToLead', data };
}
