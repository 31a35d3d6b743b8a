/**
 * Mismatch rules: where the CRM's sentiment and the provider evidence disagree.
 * - `sentiment_booked_no_evidence`: sentiment says booked, a successful provider check found no
 *   appointment (state `not_booked`).
 * - `evidence_not_marked_booked`: evidence exists (booked, or completed, assumed or not) but the
 *   sentiment is not a booked label (no sentiment at all counts as "not booked").
 * - `canceled_but_booked_status`: the latest appointment is canceled, sentiment still says booked.
 * An `unknown` lead is unverified, not a mismatch; a `no_show` lead is for its review task.
 * `since` is when both sides of the disagreement were known (the later of the sentiment's time
 * and the time the booking state took its value), so it stays put while the facts do.
 */
import type { AppointmentLifecycleStatus } from '../events/appointment-events';
import type { ProviderCheckOutcome } from '../events/lead-events';
import type { Instant, Provider } from '../events/primitives';
import { laterOf } from '../instants';
import { bookingStateAt, hasEvidence } from '../lead-lifecycle/booking-state';
import type { BookingState, LeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';
import { currentAppointment } from '../lead-lifecycle/lead-lifecycle-state';
import { checkList } from '../lead-lifecycle/lead-view';
import { isBookedSentimentLabel, type WorkspaceRules } from './workspace-rules';

export type MismatchKind = 'sentiment_booked_no_evidence' | 'evidence_not_marked_booked' | 'canceled_but_booked_status';
export const MISMATCH_KINDS: readonly MismatchKind[] = [
  'sentiment_booked_no_evidence',
  'evidence_not_marked_booked',
  'canceled_but_booked_status',
];

/** A PII-free summary of what the mismatch rests on. */
export interface MismatchEvidence {
  readonly bookingState: BookingState;
  readonly assumed: boolean;
  readonly sentimentLabel: string | null;
  readonly appointment: {
    readonly provider: Provider;
    readonly providerAppointmentId: string;
    readonly status: AppointmentLifecycleStatus;
    readonly startAt: Instant;
    readonly endAt: Instant;
  } | null;
  readonly checks: readonly {
    readonly provider: Provider;
    readonly checkedAt: Instant;
    readonly outcome: ProviderCheckOutcome;
  }[];
}

export interface Mismatch {
  readonly kind: MismatchKind;
  readonly since: Instant;
  readonly evidence: MismatchEvidence;
  /** Evidence wins (autoCorrectSentiment): the effective status already follows the provider. */
  readonly autoCorrected: boolean;
}

export type MismatchSettings = Pick<WorkspaceRules, 'bookedSentimentLabels'> &
  Partial<Pick<WorkspaceRules, 'autoCorrectSentiment'>>;

function kindFor(state: ReturnType<typeof bookingStateAt>, sentimentBooked: boolean): MismatchKind | null {
  if (state.bookingState === 'not_booked' && sentimentBooked) return 'sentiment_booked_no_evidence';
  if (state.bookingState === 'canceled' && sentimentBooked) return 'canceled_but_booked_status';
  if (hasEvidence(state) && !sentimentBooked) return 'evidence_not_marked_booked';
  return null;
}

/** The open mismatches of a lead at `now` (at most one: the kinds exclude each other). */
export function detectMismatches(lead: LeadLifecycle, settings: MismatchSettings, now: Instant): Mismatch[] {
  const at = bookingStateAt(lead, now);
  const sentimentBooked = isBookedSentimentLabel(lead.sentiment?.label, settings);
  const kind = kindFor(at, sentimentBooked);
  if (kind === null) return [];
  const since = laterOf(lead.sentiment?.classifiedAt ?? null, lead.bookingStateSince) ?? now;
  const appointment = currentAppointment(lead);
  const evidence: MismatchEvidence = {
    bookingState: at.bookingState,
    assumed: at.assumed,
    sentimentLabel: lead.sentiment?.label ?? null,
    appointment: appointment && {
      provider: appointment.provider,
      providerAppointmentId: appointment.providerAppointmentId,
      status: appointment.status,
      startAt: appointment.startAt,
      endAt: appointment.endAt,
    },
    checks: checkList(lead).map(({ provider, check }) => ({
      provider,
      checkedAt: check.checkedAt,
      outcome: check.outcome,
    })),
  };
  return [{ kind, since, evidence, autoCorrected: settings.autoCorrectSentiment === true }];
}
