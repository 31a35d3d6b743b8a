/**
 * The label review decider: after a reconciliation round, is the lead's booked label still
 * unverified past the workspace's SLA? When its grade is `contradicted` (every provider checked
 * for it answered successfully after the label, none shows a live appointment) and the label is
 * at least `slaHours` old at the check's time, one `LeadBookedLabelUnverified` — once per label:
 * a retried or later check of the same label decides nothing (the idempotence guard is the fold's
 * `labelUnverified`). A label contradicted by a cancellation recon saw at or after the label is
 * left to that cancellation's own red review (`meeting-canceled`): this review is for a booking
 * claimed and never found.
 */
import type { LeadBookedLabelUnverified } from '../events/lead-events';
import type { Instant } from '../events/primitives';
import { compareInstants, instantMs, sameInstant } from '../instants';
import { currentAppointment, type LeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';
import type { WorkspaceRules } from '../mismatches/workspace-rules';
import { checkedProviders, leadGrade } from './lead-grade';

export interface ReviewLabel {
  readonly rules: Pick<WorkspaceRules, 'bookedSentimentLabels'>;
  readonly slaHours: number;
  /** The round's check time. */
  readonly checkedAt: Instant;
}

const HOUR_MS = 3_600_000;

/** Pure: the label review events that follow from this lead state (its fold after the round). */
export function decideLabelReview(state: LeadLifecycle, command: ReviewLabel): LeadBookedLabelUnverified[] {
  const { sentiment, workspaceId, leadId } = state;
  if (sentiment === null || workspaceId === null || leadId === null) return [];
  if (leadGrade(state, command.rules) !== 'contradicted') return [];
  const current = currentAppointment(state);
  if (current !== null && compareInstants(current.statusSince, sentiment.classifiedAt) >= 0) return [];
  if (instantMs(command.checkedAt) - instantMs(sentiment.classifiedAt) < command.slaHours * HOUR_MS) return [];
  if (
    state.labelUnverified !== undefined &&
    sameInstant(state.labelUnverified.labelClassifiedAt, sentiment.classifiedAt)
  )
    return [];
  return [
    {
      type: 'LeadBookedLabelUnverified',
      data: {
        workspaceId,
        leadId,
        label: sentiment.label,
        labelClassifiedAt: sentiment.classifiedAt,
        providers: checkedProviders(state),
        checkedAt: command.checkedAt,
        slaHours: command.slaHours,
      },
    },
  ];
}
