/**
 * The automation gate: may a follow-up sequence enroll this lead, must running sequences pause,
 * and why (a stable snake_case reason a follow-up engine can branch on). Never enroll a booked or
 * completed lead. A canceled meeting or a no-show holds automation until its review task is
 * resolved (a human calls first); an unverified lead is not enrolled until a check has run.
 *
 * Reasons: booked, completed, canceled_needs_review, canceled_reviewed, canceled (old history, no
 * review task was opened), no_show_needs_review, no_show_reviewed, no_show, sentiment_booked_no_evidence
 * (only with autoCorrectSentiment off), not_booked, unverified (never checked: no enrolment; running
 * sequences pause only if the sentiment claims a booking).
 */
import { assertNever } from '../assert-never';
import type { FollowUpTaskKind } from '../events/lead-events';
import type { Instant } from '../events/primitives';
import { bookingStateAt } from '../lead-lifecycle/booking-state';
import type { LeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';
import { currentAppointment } from '../lead-lifecycle/lead-lifecycle-state';
import { isBookedSentimentLabel, type WorkspaceRules } from '../mismatches/workspace-rules';
import { currentTaskId } from './task-occurrences';
import { isRecentForReview, type TaskOptions } from './tasks-for-event';

export type GateReason =
  | 'booked'
  | 'completed'
  | 'canceled'
  | 'canceled_needs_review'
  | 'canceled_reviewed'
  | 'no_show'
  | 'no_show_needs_review'
  | 'no_show_reviewed'
  | 'sentiment_booked_no_evidence'
  | 'not_booked'
  | 'unverified';

export interface AutomationGate {
  readonly mayEnroll: boolean;
  readonly mustPause: boolean;
  readonly reason: GateReason;
}

const gate = (mayEnroll: boolean, mustPause: boolean, reason: GateReason): AutomationGate => ({
  mayEnroll,
  mustPause,
  reason,
});

/** The review of the current appointment: none opened (old history), still pending, or resolved. */
function review(lead: LeadLifecycle, kind: FollowUpTaskKind, options: TaskOptions): 'none' | 'pending' | 'resolved' {
  const appointment = currentAppointment(lead);
  if (!appointment || lead.workspaceId === null || lead.leadId === null) return 'none';
  if (!isRecentForReview(appointment.startAt, appointment.statusSince, options)) return 'none';
  // The latest occurrence decides: a cancellation after a resolved one is pending again.
  const taskId = currentTaskId(lead, appointment.provider, appointment.providerAppointmentId, kind);
  return taskId !== null && lead.resolvedTaskIds.includes(taskId) ? 'resolved' : 'pending';
}

function afterReview(
  state: 'none' | 'pending' | 'resolved',
  names: { pending: GateReason; resolved: GateReason; none: GateReason },
): AutomationGate {
  return state === 'pending' ? gate(false, true, names.pending) : gate(true, false, names[state]);
}

export function automationGate(
  lead: LeadLifecycle,
  rules: WorkspaceRules,
  now: Instant,
  options: TaskOptions = {},
): AutomationGate {
  const { bookingState } = bookingStateAt(lead, now);
  const sentimentBooked = isBookedSentimentLabel(lead.sentiment?.label, rules);
  switch (bookingState) {
    case 'booked':
      return gate(false, true, 'booked');
    case 'completed':
      return gate(false, true, 'completed');
    case 'canceled':
      return afterReview(review(lead, 'meeting-canceled', options), {
        pending: 'canceled_needs_review',
        resolved: 'canceled_reviewed',
        none: 'canceled',
      });
    case 'no_show':
      return afterReview(review(lead, 'meeting-no-show', options), {
        pending: 'no_show_needs_review',
        resolved: 'no_show_reviewed',
        none: 'no_show',
      });
    case 'not_booked':
      return sentimentBooked && !rules.autoCorrectSentiment
        ? gate(false, true, 'sentiment_booked_no_evidence')
        : gate(true, false, 'not_booked');
    case 'unknown':
      return gate(false, sentimentBooked, 'unverified');
    default:
      return assertNever(bookingState, 'booking state');
  }
}
