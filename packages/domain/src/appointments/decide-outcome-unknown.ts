/**
 * The attendance-review sweep's decision (workspaces with `attendanceReview` on): a linked booking
 * still `scheduled` whose end has passed at `now` — no attendance signal from the provider or an
 * operator — decides one `AppointmentOutcomeUnknown`, once per meeting end (the sweep may run any
 * number of times; a meeting moved to a new time that ends again decides a new one). Meetings that
 * started longer ago than the review window (`isRecentForReview`) are history, not news: nothing.
 */
import type { AppointmentOutcomeUnknown } from '../events/appointment-events';
import type { Instant } from '../events/primitives';
import { isRecentForReview, type TaskOptions } from '../follow-up/tasks-for-event';
import { compareInstants } from '../instants';
import { currentFacts, timesKey, type AppointmentState } from './appointment-state';

export function decideOutcomeUnknown(
  state: AppointmentState,
  now: Instant,
  options: TaskOptions = {},
): AppointmentOutcomeUnknown[] {
  if (state.status !== 'scheduled' || state.leadId === null) return [];
  if (compareInstants(state.endAt, now) > 0) return [];
  if (!isRecentForReview(state.startAt, now, options)) return [];
  if (state.outcomeUnknownFor === timesKey(state.startAt, state.endAt)) return [];
  return [
    {
      type: 'AppointmentOutcomeUnknown',
      data: currentFacts(state, 'poller', now),
    },
  ];
}
