/**
 * Test support: a lead's lifecycle and review tasks folded together, event by event, as the core
 * projection folds them; `at` gives each event's time (when a task recon closes closed).
 */
import type { ReconEvent } from '../events/recon-event';
import { evolveLeadTasks, initialLeadTasks, openLeadTasks } from '../follow-up/lead-tasks';
import { evolveLeadLifecycle } from '../lead-lifecycle/evolve-lead-lifecycle';
import { initialLeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';

/** An event's own `observedAt` where it has one, else `fallback`. */
export const observedAtOr =
  (fallback: string) =>
  (e: ReconEvent): string =>
    'observedAt' in e.data ? (e.data as { observedAt: string }).observedAt : fallback;

export function foldLeadWithTasks(events: readonly ReconEvent[], at: (e: ReconEvent) => string) {
  let lead = initialLeadLifecycle();
  let tasks = initialLeadTasks();
  for (const e of events) {
    lead = evolveLeadLifecycle(lead, e);
    tasks = evolveLeadTasks(tasks, lead, e, at(e));
  }
  return { lead, tasks, open: openLeadTasks(tasks) };
}
