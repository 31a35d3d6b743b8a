/**
 * A lead's review tasks as a pure fold: which tasks exist, which are resolved, and which are open.
 * The core projection keeps exactly this in its lead row; tests compare it across delivery orders.
 *
 * - Tasks come from `tasksForEvent` at the lead's current task occurrence (ids deterministic; the
 *   earliest observation of a task is kept as its creation time).
 * - `FollowUpTaskResolved` resolves a task, even before the task exists (order never matters).
 * - A no-show review is about a no-show that still stands: while its appointment is not no_show
 *   (retracted, attended, canceled, rebooked) an unresolved amber task is *ended* (closed by
 *   recon); a new no-show mark of the same occurrence reopens it. Whether a task is ended depends
 *   only on the appointment's current status, so every delivery order gives the same open tasks.
 */
import { assertNever } from '../assert-never';
import type { FollowUpTaskKind } from '../events/lead-events';
import type { Instant, Provider } from '../events/primitives';
import type { ReconEvent } from '../events/recon-event';
import { compareInstants, sameInstant } from '../instants';
import { appointmentById, currentAppointment, type LeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';
import { taskOccurrence } from './task-occurrences';
import { tasksForEvent, type TaskOptions, type TaskSeverity } from './tasks-for-event';

export interface LeadTask {
  readonly id: string;
  readonly kind: FollowUpTaskKind;
  readonly severity: TaskSeverity;
  readonly provider: Provider;
  readonly providerAppointmentId: string;
  readonly createdAt: Instant;
}

export interface TaskResolution {
  readonly resolvedAt: Instant;
  readonly resolvedBy: string;
  readonly note: string | null;
}

export interface LeadTasks {
  readonly tasks: Readonly<Record<string, LeadTask>>;
  /** Operators' resolutions by task id (kept even before the task exists). */
  readonly resolutions: Readonly<Record<string, TaskResolution>>;
  /** No-show tasks whose no-show ended, by task id → since when (optional: older rows lack it). */
  readonly ended?: Readonly<Record<string, Instant>>;
}

/** How an ended no-show task reads where a resolution is shown (closed by recon, not by a person). */
export const NO_SHOW_CLOSED_BY = 'recon';
export const NO_SHOW_ENDED = 'NO_SHOW_ENDED';
/** How an ended outcome review reads: attendance became known, or the meeting is no longer an ended one. */
export const OUTCOME_REVIEW_ENDED = 'OUTCOME_REVIEW_ENDED';
/** How an ended label review reads: a live appointment appeared, or the label was replaced by a newer one. */
export const LABEL_REVIEW_ENDED = 'LABEL_REVIEW_ENDED';
/** How an ended reschedule review reads: the new booking of the reschedule was seen after all. */
export const RESCHEDULE_REVIEW_ENDED = 'RESCHEDULE_REVIEW_ENDED';

const ENDED_NOTE: { readonly [K in FollowUpTaskKind]?: string } = {
  'meeting-no-show': NO_SHOW_ENDED,
  'meeting-outcome-unknown': OUTCOME_REVIEW_ENDED,
  'label-unverified': LABEL_REVIEW_ENDED,
  'meeting-reschedule-unconfirmed': RESCHEDULE_REVIEW_ENDED,
};

export function initialLeadTasks(): LeadTasks {
  return { tasks: {}, resolutions: {} };
}

/** The resolution a task shows: the operator's, or recon's for an ended no-show; null while open. */
export function taskResolution(s: LeadTasks, taskId: string): TaskResolution | null {
  if (Object.hasOwn(s.resolutions, taskId)) return s.resolutions[taskId] ?? null;
  const ended = s.ended !== undefined && Object.hasOwn(s.ended, taskId) ? s.ended[taskId] : undefined;
  if (ended === undefined) return null;
  const kind = Object.hasOwn(s.tasks, taskId) ? s.tasks[taskId]?.kind : undefined;
  const note = (kind !== undefined ? ENDED_NOTE[kind] : undefined) ?? NO_SHOW_ENDED;
  return { resolvedAt: ended, resolvedBy: NO_SHOW_CLOSED_BY, note };
}

/**
 * Does a label review still stand? Its label (the task's `label:<classifiedAt>`) is still the
 * lead's current one and no live provider appointment decides the lead's state.
 */
function labelReviewStands(lead: LeadLifecycle, task: LeadTask): boolean {
  const labelAt = task.providerAppointmentId.slice('label:'.length);
  const current = currentAppointment(lead);
  const live = current !== null && current.status !== 'canceled' && current.status !== 'invalid';
  return lead.sentiment !== null && sameInstant(lead.sentiment.classifiedAt, labelAt) && !live;
}

/**
 * Does the situation a recon-closable review is about still stand at `at`? Null for kinds only an
 * operator closes.
 * - No-show: the appointment is still no_show.
 * - Outcome unknown: the appointment is still `scheduled` (no attendance answer, not canceled) and
 *   its end has passed (not moved to a later time).
 * - Label unverified: see `labelReviewStands`.
 * - Reschedule unconfirmed: the booking is still `replaced` and the successor it names is not among
 *   the lead's appointments (not seen, or seen but not linked to this lead).
 */
function reviewStands(task: LeadTask, lead: LeadLifecycle, at: Instant): boolean | null {
  const appointment = appointmentById(lead, task.providerAppointmentId);
  switch (task.kind) {
    case 'meeting-no-show':
      return appointment?.status === 'no_show';
    case 'meeting-outcome-unknown':
      return appointment?.status === 'scheduled' && compareInstants(appointment.endAt, at) <= 0;
    case 'label-unverified':
      return labelReviewStands(lead, task);
    case 'meeting-reschedule-unconfirmed':
      return (
        appointment?.status === 'replaced' &&
        appointment.rescheduledTo !== null &&
        appointmentById(lead, appointment.rescheduledTo) === null
      );
    case 'meeting-canceled':
    case 'meeting-rescheduled':
      return null;
    default:
      return assertNever(task.kind, 'task kind');
  }
}

function followNoShows(s: LeadTasks, lead: LeadLifecycle, at: Instant): LeadTasks {
  let ended: Record<string, Instant> | null = null;
  const current = s.ended ?? {};
  for (const t of Object.values(s.tasks)) {
    if (Object.hasOwn(s.resolutions, t.id)) continue;
    const standing = reviewStands(t, lead, at);
    if (standing === null) continue;
    const isEnded = Object.hasOwn(current, t.id);
    if (standing === !isEnded) continue;
    ended ??= { ...current };
    if (standing) delete ended[t.id];
    else ended[t.id] = at;
  }
  return ended === null ? s : { ...s, ended };
}

/**
 * One event applied to a lead's tasks. `lead` is the lead's fold *after* the event; `at` is the
 * event's time (when a task closed by recon closed).
 */
export function evolveLeadTasks(
  s: LeadTasks,
  lead: LeadLifecycle,
  event: ReconEvent,
  at: Instant,
  options: TaskOptions = {},
): LeadTasks {
  let next = s;
  if (event.type === 'FollowUpTaskResolved' && !Object.hasOwn(next.resolutions, event.data.taskId)) {
    const r = { resolvedAt: event.data.resolvedAt, resolvedBy: event.data.resolvedBy, note: event.data.note };
    next = { ...next, resolutions: { ...next.resolutions, [event.data.taskId]: r } };
  }
  if (event.type === 'LeadContactErased') {
    // Erasure blanks the operator notes (free text that may name the person); the resolutions stay.
    const blanked = Object.entries(next.resolutions).map(([id, r]) => [id, { ...r, note: null }] as const);
    next = { ...next, resolutions: Object.fromEntries(blanked) };
  }
  const specs = tasksForEvent(event, options, (provider, appointmentId, kind) =>
    taskOccurrence(lead, provider, appointmentId, kind),
  );
  if (specs.length > 0) {
    const tasks = { ...next.tasks };
    for (const spec of specs) {
      const known = Object.hasOwn(tasks, spec.taskId) ? tasks[spec.taskId] : undefined;
      // Both deliveries of a reschedule pair name the same task: keep the earliest observation.
      if (known !== undefined && compareInstants(known.createdAt, spec.createdAt) <= 0) continue;
      tasks[spec.taskId] = {
        id: spec.taskId,
        kind: spec.kind,
        severity: spec.severity,
        provider: spec.provider,
        providerAppointmentId: spec.providerAppointmentId,
        createdAt: spec.createdAt,
      };
    }
    next = { ...next, tasks };
  }
  return event.type.startsWith('Appointment') || event.type === 'LeadSentimentClassified'
    ? followNoShows(next, lead, at)
    : next;
}

/** Tasks not resolved (by an operator) nor ended (a no-show that no longer stands), oldest first. */
export function openLeadTasks(s: LeadTasks): LeadTask[] {
  return Object.values(s.tasks)
    .filter((t) => taskResolution(s, t.id) === null)
    .sort((a, b) => compareInstants(a.createdAt, b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
