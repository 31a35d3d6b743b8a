/**
 * Which review tasks an appointment event opens. A canceled or rescheduled meeting is a red task
 * (someone should call the lead now); a no-show is amber (worth a look, less urgent, and the
 * provider may retract it: the task closes when the appointment leaves no_show). One task per
 * (workspace, lead, appointment, kind, occurrence): the id is deterministic, so both deliveries of
 * a Calendly reschedule pair open the *same* task (the old invitee's Rescheduled, or the new
 * invitee's Booked with `rescheduledFrom`, whichever comes first) and replays open nothing new,
 * while a new occurrence after a resolution opens a new task (the caller passes the lead's current
 * occurrence, see `task-occurrences`). Late history (`AppointmentVersionObserved`, historical) is
 * evidence too: other times than the current ones open the reschedule task, a canceled version
 * the cancellation task (never a no-show task: a later version already moved on from it).
 *
 * History is not news: a change observed more than `maxAgeDays` (default 30) after the meeting's
 * start (a first poll or a backfill finding a cancellation from last year) opens no task.
 * Unmatched appointments (leadId null) open none; their link event opens what is still relevant.
 */
import { assertNever } from '../assert-never';
import { followUpTaskId } from '../event-ids';
import { isLeadEvent } from '../event-kinds';
import type { AppointmentEvent, AppointmentLifecycleStatus } from '../events/appointment-events';
import { FollowUpTaskKind, type LeadBookedLabelUnverified } from '../events/lead-events';
import type { Instant, Provider } from '../events/primitives';
import type { ReconEvent } from '../events/recon-event';
import { instantMs, laterInstant, sameInstant } from '../instants';

/** Review task severities: red (act now, the operator UI shows it red) and amber (review). */
export const TASK_SEVERITIES = ['red', 'amber'] as const;
export type TaskSeverity = (typeof TASK_SEVERITIES)[number];

/** Every review task kind, in the order the API lists them. */
export const FOLLOW_UP_TASK_KINDS = FollowUpTaskKind.options;

export const TASK_SEVERITY: { readonly [K in FollowUpTaskKind]: TaskSeverity } = {
  'meeting-canceled': 'red',
  'meeting-rescheduled': 'red',
  'meeting-no-show': 'amber',
  'meeting-outcome-unknown': 'amber',
  'label-unverified': 'amber',
  'meeting-reschedule-unconfirmed': 'red',
};

export const DEFAULT_REVIEW_MAX_AGE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface FollowUpTaskSpec {
  readonly taskId: string;
  readonly kind: FollowUpTaskKind;
  readonly severity: TaskSeverity;
  readonly workspaceId: string;
  readonly leadId: string;
  readonly provider: Provider;
  /** The appointment the task is about (for a reschedule: the replaced one). */
  readonly providerAppointmentId: string;
  /** When the change was observed: the task's creation time. */
  readonly createdAt: Instant;
}

export interface TaskOptions {
  readonly maxAgeDays?: number;
}

/** Is a change to a meeting starting at `meetingStartAt`, observed at `observedAt`, still worth a review? */
export function isRecentForReview(meetingStartAt: Instant, observedAt: Instant, options: TaskOptions = {}): boolean {
  const maxAgeDays = options.maxAgeDays ?? DEFAULT_REVIEW_MAX_AGE_DAYS;
  return instantMs(observedAt) - instantMs(meetingStartAt) <= maxAgeDays * DAY_MS;
}

/** The task kinds an appointment event opens and the appointment each is about (recency aside). */
export function taskKindsOf(event: AppointmentEvent): { kind: FollowUpTaskKind; appointmentId: string }[] {
  const d = event.data;
  const on = (kind: FollowUpTaskKind, appointmentId = d.providerAppointmentId) => [{ kind, appointmentId }];
  switch (event.type) {
    case 'AppointmentCanceled':
      return on('meeting-canceled');
    case 'AppointmentRescheduled':
      return on('meeting-rescheduled');
    case 'AppointmentBooked':
      return event.data.rescheduledFrom === null ? [] : on('meeting-rescheduled', event.data.rescheduledFrom);
    case 'AppointmentNoShowMarked':
      return on('meeting-no-show');
    case 'AppointmentOutcomeUnknown':
      return on('meeting-outcome-unknown');
    case 'AppointmentRescheduleUnconfirmed':
      return on('meeting-reschedule-unconfirmed');
    case 'AppointmentAttended':
    case 'AppointmentNoShowRetracted':
    case 'AppointmentMarkedInvalid':
      return [];
    case 'AppointmentVersionObserved': {
      const o = event.data;
      if (!o.historical) return [];
      const moved = !sameInstant(o.observedStartAt, d.startAt) || !sameInstant(o.observedEndAt, d.endAt);
      return [
        ...(moved ? on('meeting-rescheduled') : []),
        ...(o.observedStatus === 'canceled' ? on('meeting-canceled') : []),
      ];
    }
    case 'AppointmentLinkedToLead': {
      const current = event.data.current;
      if (!current) return [];
      const byStatus: { readonly [S in AppointmentLifecycleStatus]: FollowUpTaskKind | null } = {
        scheduled: null,
        showed: null,
        canceled: 'meeting-canceled',
        replaced: 'meeting-rescheduled',
        no_show: 'meeting-no-show',
        invalid: null,
      };
      const kind = byStatus[current.status];
      if (kind) return on(kind);
      return current.rescheduledFrom === null ? [] : on('meeting-rescheduled', current.rescheduledFrom);
    }
    default:
      return assertNever(event, 'appointment event');
  }
}

/**
 * The task a booked label found unverified past the SLA opens: one per (lead, label time), so a
 * retried check names the same task. It is about the label, not an appointment: its
 * `providerAppointmentId` is `label:<the label's classifiedAt>` and its provider the first one checked.
 */
export function labelUnverifiedTaskRef(d: LeadBookedLabelUnverified['data']) {
  return {
    workspaceId: d.workspaceId,
    leadId: d.leadId,
    provider: d.providers[0] as Provider,
    providerAppointmentId: `label:${d.labelClassifiedAt}`,
    kind: 'label-unverified' as const,
  };
}

function labelUnverifiedTasks(event: LeadBookedLabelUnverified): FollowUpTaskSpec[] {
  const ref = labelUnverifiedTaskRef(event.data);
  return [{ ...ref, taskId: followUpTaskId(ref), severity: TASK_SEVERITY[ref.kind], createdAt: event.data.checkedAt }];
}

/** The current occurrence of (appointment, kind) on the event's lead; 0 when not given. */
export type OccurrenceOf = (provider: Provider, providerAppointmentId: string, kind: FollowUpTaskKind) => number;

/**
 * The review tasks this event opens (empty for lead events and for unmatched appointments).
 * `occurrenceOf` reads the lead's fold *after* the event (`taskOccurrence(lead, …)`).
 */
export function tasksForEvent(
  event: ReconEvent,
  options: TaskOptions = {},
  occurrenceOf: OccurrenceOf = () => 0,
): FollowUpTaskSpec[] {
  if (event.type === 'LeadBookedLabelUnverified') return labelUnverifiedTasks(event);
  if (isLeadEvent(event)) return [];
  const d = event.data;
  if (d.leadId === null) return [];
  const leadId = d.leadId;
  const createdAt = event.type === 'AppointmentLinkedToLead' ? event.data.linkedAt : d.observedAt;
  const meetingStart =
    event.type === 'AppointmentRescheduled'
      ? laterInstant(d.startAt, event.data.previousStartAt)
      : event.type === 'AppointmentVersionObserved'
        ? laterInstant(d.startAt, event.data.observedStartAt)
        : d.startAt;
  if (!isRecentForReview(meetingStart, createdAt, options)) return [];
  return taskKindsOf(event).map(({ kind, appointmentId }) => ({
    taskId: followUpTaskId({
      workspaceId: d.workspaceId,
      leadId,
      provider: d.provider,
      providerAppointmentId: appointmentId,
      kind,
      occurrence: occurrenceOf(d.provider, appointmentId, kind),
    }),
    kind,
    severity: TASK_SEVERITY[kind],
    workspaceId: d.workspaceId,
    leadId,
    provider: d.provider,
    providerAppointmentId: appointmentId,
    createdAt,
  }));
}
