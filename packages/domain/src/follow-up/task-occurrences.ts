/**
 * Which occurrence of a review task is current, per (appointment, kind). A task is about one
 * occurrence of a change: a GHL appointment canceled, rebooked under the same id and canceled
 * again after the operator resolved the first task is a *new* red task, not the resolved one.
 *
 * The lead fold keeps, per (provider, appointment, kind), the current occurrence and whether its
 * task was opened (`LeadLifecycle.taskOccurrences`; absent = occurrence 0, not opened):
 * - any event that opens the kind's task marks the current occurrence opened;
 * - a fresh occurrence (a cancellation of an appointment not canceled, a GHL move of its times, a
 *   no-show mark of an appointment not marked) whose current task was opened *and* resolved moves
 *   to the next occurrence: a new task;
 * A resolution folded before its task was opened (only possible in replays of unrealistic
 * interleavings) therefore still resolves occurrence 0. Only an operator's resolution moves an
 * occurrence, so without resolutions every delivery order names the same tasks (a no-show that
 * ends closes its task and a new mark reopens it: see `lead-tasks`). Late history and the Calendly reschedule
 * pair are never fresh: both deliveries of a pair name one task. Occurrence 0 keeps the id a task
 * had before occurrences existed.
 */
import { followUpTaskId } from '../event-ids';
import type { AppointmentEvent } from '../events/appointment-events';
import type { FollowUpTaskKind } from '../events/lead-events';
import type { Provider } from '../events/primitives';
import { sameInstant } from '../instants';
import { appointmentById, type LeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';
import { taskKindsOf } from './tasks-for-event';

export interface TaskOccurrence {
  readonly occurrence: number;
  readonly opened: boolean;
}

export type TaskOccurrences = Readonly<Record<string, TaskOccurrence>>;

const NONE: TaskOccurrence = { occurrence: 0, opened: false };

export function occurrenceKey(provider: Provider, providerAppointmentId: string, kind: FollowUpTaskKind): string {
  return JSON.stringify([provider, providerAppointmentId, kind]);
}

function entry(occurrences: TaskOccurrences | undefined, key: string): TaskOccurrence {
  return occurrences !== undefined && Object.hasOwn(occurrences, key) ? (occurrences[key] ?? NONE) : NONE;
}

/** The current occurrence of (appointment, kind) on this lead (0 until one moved it). */
export function taskOccurrence(
  lead: Pick<LeadLifecycle, 'taskOccurrences'>,
  provider: Provider,
  providerAppointmentId: string,
  kind: FollowUpTaskKind,
): number {
  return entry(lead.taskOccurrences, occurrenceKey(provider, providerAppointmentId, kind)).occurrence;
}

/** Id of the current occurrence's task, or null while the lead is not known. */
export function currentTaskId(
  lead: LeadLifecycle,
  provider: Provider,
  providerAppointmentId: string,
  kind: FollowUpTaskKind,
): string | null {
  if (lead.workspaceId === null || lead.leadId === null) return null;
  const occurrence = taskOccurrence(lead, provider, providerAppointmentId, kind);
  return followUpTaskId({
    workspaceId: lead.workspaceId,
    leadId: lead.leadId,
    provider,
    providerAppointmentId,
    kind,
    occurrence,
  });
}

function isFresh(event: AppointmentEvent, kind: FollowUpTaskKind, was: string | null): boolean {
  switch (event.type) {
    case 'AppointmentCanceled':
      return kind === 'meeting-canceled' && was !== 'canceled';
    case 'AppointmentRescheduled': {
      const d = event.data;
      return (
        kind === 'meeting-rescheduled' &&
        d.rescheduledTo === null &&
        (!sameInstant(d.previousStartAt, d.startAt) || !sameInstant(d.previousEndAt, d.endAt))
      );
    }
    case 'AppointmentNoShowMarked':
      return kind === 'meeting-no-show' && was !== 'no_show';
    case 'AppointmentOutcomeUnknown':
      // Decided once per meeting end: each is a fresh occurrence (a moved meeting that ends again).
      return kind === 'meeting-outcome-unknown';
    default:
      return false;
  }
}

/** The occurrences after `event` took the lead from `before` to `after` (unchanged: the same value). */
export function nextTaskOccurrences(
  before: LeadLifecycle,
  after: LeadLifecycle,
  event: AppointmentEvent,
): TaskOccurrences | undefined {
  const d = event.data;
  const was = appointmentById(before, d.providerAppointmentId)?.status ?? null;
  let occurrences = after.taskOccurrences;
  const set = (appointmentId: string, kind: FollowUpTaskKind, value: TaskOccurrence) => {
    occurrences = { ...occurrences, [occurrenceKey(d.provider, appointmentId, kind)]: value };
  };
  for (const { kind, appointmentId } of taskKindsOf(event)) {
    const current = entry(occurrences, occurrenceKey(d.provider, appointmentId, kind));
    if (!current.opened) {
      set(appointmentId, kind, { occurrence: current.occurrence, opened: true });
      continue;
    }
    if (!isFresh(event, kind, was) || after.workspaceId === null || after.leadId === null) continue;
    const id = followUpTaskId({
      workspaceId: after.workspaceId,
      leadId: after.leadId,
      provider: d.provider,
      providerAppointmentId: appointmentId,
      kind,
      occurrence: current.occurrence,
    });
    if (after.resolvedTaskIds.includes(id))
      set(appointmentId, kind, { occurrence: current.occurrence + 1, opened: true });
  }
  return occurrences;
}
