/**
 * A lead's review tasks as a pure fold: which tasks exist, which are resolved, and which are open.
 * The core projection keeps exactly this in its lead row; tests compare it across delivery orders.
 *
 * - Tasks come from `tasksForEvent` at the lead's current task occurrence (ids deterministic; the
 *   earliest observation of a task is kept as its creation time).
 * - `FollowUpTaskResolved` resolves a task, even before the task exists (order never matters).
 * - A no-show review is about a no-show that still stands: once its appointment leaves no_show
 *   (retracted, attended, canceled, rebooked), the open amber task is closed by recon
 *   (`resolvedBy: 'recon'`, note `NO_SHOW_ENDED`).
 */
import type { FollowUpTaskKind } from '../events/lead-events';
import type { Instant, Provider } from '../events/primitives';
import type { ReconEvent } from '../events/recon-event';
import { compareInstants } from '../instants';
import { appointmentById, type LeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';
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
  readonly resolutions: Readonly<Record<string, TaskResolution>>;
}

/** Who closes a no-show task whose appointment left no_show. */
export const NO_SHOW_CLOSED_BY = 'recon';
export const NO_SHOW_ENDED = 'NO_SHOW_ENDED';

export function initialLeadTasks(): LeadTasks {
  return { tasks: {}, resolutions: {} };
}

function closeEndedNoShows(s: LeadTasks, lead: LeadLifecycle, at: Instant): LeadTasks {
  let resolutions: Record<string, TaskResolution> | null = null;
  for (const t of Object.values(s.tasks)) {
    if (t.kind !== 'meeting-no-show' || Object.hasOwn(s.resolutions, t.id)) continue;
    const a = appointmentById(lead, t.providerAppointmentId);
    if (a === null || a.status === 'no_show') continue;
    resolutions ??= { ...s.resolutions };
    resolutions[t.id] = { resolvedAt: at, resolvedBy: NO_SHOW_CLOSED_BY, note: NO_SHOW_ENDED };
  }
  return resolutions === null ? s : { ...s, resolutions };
}

/**
 * One event applied to a lead's tasks. `lead` is the lead's fold *after* the event; `at` is the
 * event's time (when a task closed by recon closed).
 */
export function evolveLeadTasks(s: LeadTasks, lead: LeadLifecycle, event: ReconEvent, at: Instant, options: TaskOptions = {}): LeadTasks {
  let next = s;
  if (event.type === 'FollowUpTaskResolved' && !Object.hasOwn(next.resolutions, event.data.taskId)) {
    const r = { resolvedAt: event.data.resolvedAt, resolvedBy: event.data.resolvedBy, note: event.data.note };
    next = { ...next, resolutions: { ...next.resolutions, [event.data.taskId]: r } };
  }
  const specs = tasksForEvent(event, options, (provider, appointmentId, kind) => taskOccurrence(lead, provider, appointmentId, kind));
  if (specs.length > 0) {
    const tasks = { ...next.tasks };
    for (const spec of specs) {
      const known = Object.hasOwn(tasks, spec.taskId) ? tasks[spec.taskId] : undefined;
      // Both deliveries of a reschedule pair name the same task: keep the earliest observation.
      if (known !== undefined && compareInstants(known.createdAt, spec.createdAt) <= 0) continue;
      tasks[spec.taskId] = { id: spec.taskId, kind: spec.kind, severity: spec.severity, provider: spec.provider, providerAppointmentId: spec.providerAppointmentId, createdAt: spec.createdAt };
    }
    next = { ...next, tasks };
  }
  return event.type.startsWith('Appointment') ? closeEndedNoShows(next, lead, at) : next;
}

/** Tasks not resolved (by an operator, or closed by recon), oldest first. */
export function openLeadTasks(s: LeadTasks): LeadTask[] {
  return Object.values(s.tasks)
    .filter((t) => !Object.hasOwn(s.resolutions, t.id))
    .sort((a, b) => compareInstants(a.createdAt, b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
