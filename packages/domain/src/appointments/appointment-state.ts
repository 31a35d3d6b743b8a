/**
 * What an appointment stream reflects, folded from its events: the decider's memory. Plain JSON
 * (no Date/Map) so it can be cached or snapshotted as is.
 *
 * `replaced` is a Calendly invitee canceled *by a reschedule*: it is not a cancellation, its
 * successor (`rescheduledTo`) carries the meeting on.
 *
 * The decider's memory of provider versions (`seenVersions`) and time slots (`seenTimes`) lets it
 * tell a late older version (history: evidence of a reschedule or cancellation that happened) from
 * a duplicate. Both are optional so read-model rows that do not store them still fold.
 */
import { assertNever } from '../assert-never';
import type { AppointmentEvent, AppointmentLifecycleStatus } from '../events/appointment-events';
import type { Instant, ObservationSource, Provider } from '../events/primitives';
import { instantMs, laterOf } from '../instants';

export interface AppointmentSnapshot {
  readonly status: AppointmentLifecycleStatus;
  readonly workspaceId: string;
  readonly leadId: string | null;
  readonly provider: Provider;
  readonly providerAppointmentId: string;
  readonly calendlyEventUri: string | null;
  readonly startAt: Instant;
  readonly endAt: Instant;
  /** The newest provider version reflected (never moves backwards). */
  readonly providerUpdatedAt: Instant | null;
  readonly rescheduledFrom: string | null;
  readonly rescheduledTo: string | null;
  readonly deleted: boolean;
  readonly source: ObservationSource;
  readonly observedAt: Instant;
}

/** What the decider remembers beyond the snapshot (absent = nothing remembered). */
export interface AppointmentMemory {
  /** Every provider version (providerUpdatedAt, as epoch-ms text) the stream has recorded. */
  readonly seenVersions?: readonly string[];
  /** Every time slot (`startMs/endMs`) the stream has held or been told about. */
  readonly seenTimes?: readonly string[];
  /** Who reported the current attendance (`showed` / `no_show`): `manual` is an operator's answer. */
  readonly attendanceSource?: ObservationSource | null;
  /** The end (`timesKey`) an `AppointmentOutcomeUnknown` was last recorded for: one per meeting end. */
  readonly outcomeUnknownFor?: string | null;
  /** The successor an `AppointmentRescheduleUnconfirmed` was recorded for: one per successor. */
  readonly rescheduleUnconfirmedFor?: string | null;
}

export type AppointmentState =
  | { readonly status: 'absent'; readonly version: 0 }
  | (AppointmentSnapshot & AppointmentMemory & { readonly version: number });

/**
 * The common facts of an event recon decides from the stream's own state rather than from a new
 * provider version (a link, an operator's attendance answer, an outcome review): the current
 * times, and the provider's version watermark where it is (no provider version is observed).
 */
export function currentFacts(state: AppointmentSnapshot, source: ObservationSource, observedAt: Instant) {
  return {
    workspaceId: state.workspaceId,
    leadId: state.leadId,
    provider: state.provider,
    providerAppointmentId: state.providerAppointmentId,
    calendlyEventUri: state.calendlyEventUri,
    startAt: state.startAt,
    endAt: state.endAt,
    source,
    observedAt,
    providerUpdatedAt: state.providerUpdatedAt,
  };
}

export function versionKey(providerUpdatedAt: Instant): string {
  return String(instantMs(providerUpdatedAt));
}

export function timesKey(startAt: Instant, endAt: Instant): string {
  return `${instantMs(startAt)}/${instantMs(endAt)}`;
}

function remember(list: readonly string[] | undefined, ...keys: string[]): readonly string[] {
  const known = list ?? [];
  const fresh = keys.filter((k, i) => !known.includes(k) && keys.indexOf(k) === i);
  return fresh.length === 0 ? known : [...known, ...fresh];
}

/** Has the stream recorded this provider version? */
export function hasSeenVersion(state: AppointmentMemory, providerUpdatedAt: Instant): boolean {
  return (state.seenVersions ?? []).includes(versionKey(providerUpdatedAt));
}

export function initialAppointmentState(): AppointmentState {
  return { status: 'absent', version: 0 };
}

export function isAbsent(state: AppointmentState): state is { readonly status: 'absent'; readonly version: 0 } {
  return state.status === 'absent';
}

/** A meeting is (still) expected: scheduled, or replaced by a reschedule whose successor carries it. */
export function isBooked(state: AppointmentState): boolean {
  return state.status === 'scheduled' || state.status === 'replaced';
}

/** Nothing more is expected to happen to this appointment by itself. */
export function isTerminal(state: AppointmentState): boolean {
  return (
    state.status === 'canceled' ||
    state.status === 'replaced' ||
    state.status === 'showed' ||
    state.status === 'no_show'
  );
}

export function isCanceled(state: AppointmentState): boolean {
  return state.status === 'canceled';
}

export function isLinked(state: AppointmentState): boolean {
  return state.status !== 'absent' && state.leadId !== null;
}

function base(
  state: AppointmentState,
  event: AppointmentEvent,
): AppointmentSnapshot & AppointmentMemory & { readonly version: number } {
  const d = event.data;
  const prev = state.status === 'absent' ? null : state;
  const times = [timesKey(d.startAt, d.endAt)];
  if (event.type === 'AppointmentRescheduled')
    times.push(timesKey(event.data.previousStartAt, event.data.previousEndAt));
  if (event.type === 'AppointmentVersionObserved')
    times.push(timesKey(event.data.observedStartAt, event.data.observedEndAt));
  return {
    seenVersions:
      d.providerUpdatedAt === null
        ? (prev?.seenVersions ?? [])
        : remember(prev?.seenVersions, versionKey(d.providerUpdatedAt)),
    seenTimes: remember(prev?.seenTimes, ...times),
    attendanceSource: prev?.attendanceSource ?? null,
    outcomeUnknownFor: prev?.outcomeUnknownFor ?? null,
    rescheduleUnconfirmedFor: prev?.rescheduleUnconfirmedFor ?? null,
    status: prev?.status ?? 'scheduled',
    workspaceId: d.workspaceId,
    leadId: d.leadId ?? prev?.leadId ?? null,
    provider: d.provider,
    providerAppointmentId: d.providerAppointmentId,
    calendlyEventUri: d.calendlyEventUri ?? prev?.calendlyEventUri ?? null,
    startAt: d.startAt,
    endAt: d.endAt,
    providerUpdatedAt: laterOf(prev?.providerUpdatedAt ?? null, d.providerUpdatedAt),
    rescheduledFrom: prev?.rescheduledFrom ?? null,
    rescheduledTo: prev?.rescheduledTo ?? null,
    deleted: prev?.deleted ?? false,
    source: d.source,
    observedAt: d.observedAt,
    version: state.version + 1,
  };
}

export function evolveAppointment(state: AppointmentState, event: AppointmentEvent): AppointmentState {
  const next = base(state, event);
  switch (event.type) {
    case 'AppointmentBooked':
      return {
        ...next,
        status: 'scheduled',
        rescheduledFrom: event.data.rescheduledFrom ?? next.rescheduledFrom,
        rescheduledTo: null,
        deleted: false,
        attendanceSource: null,
      };
    case 'AppointmentRescheduled':
      return event.data.rescheduledTo === null
        ? next
        : { ...next, status: 'replaced', rescheduledTo: event.data.rescheduledTo };
    case 'AppointmentCanceled':
      return { ...next, status: 'canceled', deleted: event.data.deleted };
    case 'AppointmentAttended':
      return { ...next, status: 'showed', attendanceSource: event.data.source };
    case 'AppointmentNoShowMarked':
      return { ...next, status: 'no_show', attendanceSource: event.data.source };
    case 'AppointmentNoShowRetracted':
      return { ...next, status: 'scheduled', attendanceSource: null };
    case 'AppointmentLinkedToLead':
      return { ...next, leadId: event.data.leadId };
    case 'AppointmentVersionObserved':
      return next;
    case 'AppointmentMarkedInvalid':
      return { ...next, status: 'invalid' };
    case 'AppointmentOutcomeUnknown':
      return { ...next, outcomeUnknownFor: timesKey(event.data.startAt, event.data.endAt) };
    case 'AppointmentRescheduleUnconfirmed':
      return { ...next, rescheduleUnconfirmedFor: event.data.rescheduledTo };
    default:
      return assertNever(event, 'appointment event');
  }
}

export function appointmentStateFromEvents(events: readonly AppointmentEvent[]): AppointmentState {
  return events.reduce(evolveAppointment, initialAppointmentState());
}
