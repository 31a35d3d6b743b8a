/**
 * The reschedule-confirmation sweep's decisions (issue 18 §2). A Calendly or Cal.com booking
 * canceled by a reschedule (`replaced`) names its successor; normally the successor's own webhook
 * follows within seconds. When it has not been seen `graceMinutes` after the provider replaced the
 * booking, the reconciler fetches the successor by its URI (`isRescheduleConfirmationDue`); when
 * that fetch finds nothing, the old booking records one `AppointmentRescheduleUnconfirmed` for that
 * successor (`decideRescheduleUnconfirmed`), which opens the red `meeting-reschedule-unconfirmed`
 * review. Changes older than the review window (`isRecentForReview`) are history: nothing.
 */
import type { AppointmentRescheduleUnconfirmed } from '../events/appointment-events';
import type { Instant } from '../events/primitives';
import { isRecentForReview, type TaskOptions } from '../follow-up/tasks-for-event';
import { instantMs } from '../instants';
import { currentFacts, type AppointmentState } from './appointment-state';

/** Default minutes after a reschedule before recon fetches a successor it has not seen. */
export const DEFAULT_RESCHEDULE_GRACE_MINUTES = 30;

/** Is this booking a replaced one whose successor should be fetched now (seen or not: the caller knows)? */
export function isRescheduleConfirmationDue(
  state: AppointmentState,
  now: Instant,
  graceMinutes: number,
  options: TaskOptions = {},
): boolean {
  if (state.status !== 'replaced' || state.leadId === null || state.rescheduledTo === null) return false;
  if (state.rescheduleUnconfirmedFor === state.rescheduledTo) return false;
  const replacedAt = state.providerUpdatedAt ?? state.observedAt;
  if (instantMs(replacedAt) + graceMinutes * 60_000 > instantMs(now)) return false;
  return isRecentForReview(state.startAt, now, options);
}

/**
 * The successor could not be fetched (`failureCode`, e.g. PROVIDER_NOT_FOUND): one event per
 * successor. The caller decides only after the successor was looked for and not found.
 */
export function decideRescheduleUnconfirmed(
  state: AppointmentState,
  now: Instant,
  graceMinutes: number,
  failureCode: string,
  options: TaskOptions = {},
): AppointmentRescheduleUnconfirmed[] {
  if (!isRescheduleConfirmationDue(state, now, graceMinutes, options) || state.status === 'absent') return [];
  const rescheduledTo = state.rescheduledTo;
  if (rescheduledTo === null) return [];
  return [
    {
      type: 'AppointmentRescheduleUnconfirmed',
      data: { ...currentFacts(state, 'poller', now), rescheduledTo, failureCode },
    },
  ];
}
