/**
 * A lead as of `now` under a workspace's rules: what the API, the gates and the mismatch rules
 * read. Derived, never stored as truth (the stored truth is the fold's state).
 */
import type { Instant, MessageDirection } from '../events/primitives';
import { isBookedSentimentLabel, type WorkspaceRules } from '../mismatches/workspace-rules';
import { bookingStateAt, hasEvidence } from './booking-state';
import type { BookingState, LeadAppointment, LeadCounts, LeadLifecycle, ProviderCheck } from './lead-lifecycle-state';
import { currentAppointment, forProvider } from './lead-lifecycle-state';
import { PROVIDER_NAMES, type Provider } from '../providers/provider-name';

export interface EffectiveStatus {
  /** What recon treats as the lead's status: booked or not. */
  readonly booked: boolean;
  /** Where that comes from: provider evidence, or the sentiment while nothing is verified. */
  readonly basis: 'evidence' | 'sentiment';
  /** True when evidence overrode the sentiment (autoCorrectSentiment on and they disagree). */
  readonly autoCorrected: boolean;
}

export interface LeadView {
  readonly workspaceId: string | null;
  readonly leadId: string | null;
  readonly bookingState: BookingState;
  readonly assumed: boolean;
  readonly currentAppointment: LeadAppointment | null;
  readonly sentiment: { readonly label: string; readonly classifiedAt: Instant } | null;
  readonly sentimentBooked: boolean;
  readonly effective: EffectiveStatus;
  readonly lastInboundAt: Instant | null;
  readonly lastMessageDirection: MessageDirection | null;
  readonly checks: LeadLifecycle['checks'];
  readonly counts: LeadCounts;
}

function effectiveStatus(
  state: ReturnType<typeof bookingStateAt>,
  sentimentBooked: boolean,
  rules: WorkspaceRules,
): EffectiveStatus {
  const evidence = hasEvidence(state);
  if (state.bookingState === 'unknown') return { booked: sentimentBooked, basis: 'sentiment', autoCorrected: false };
  if (rules.autoCorrectSentiment || evidence === sentimentBooked) {
    return { booked: evidence, basis: 'evidence', autoCorrected: evidence !== sentimentBooked };
  }
  return { booked: sentimentBooked, basis: 'sentiment', autoCorrected: false };
}

export function deriveLeadView(state: LeadLifecycle, now: Instant, rules: WorkspaceRules): LeadView {
  const at = bookingStateAt(state, now);
  const sentimentBooked = isBookedSentimentLabel(state.sentiment?.label, rules);
  return {
    workspaceId: state.workspaceId,
    leadId: state.leadId,
    bookingState: at.bookingState,
    assumed: at.assumed,
    currentAppointment: currentAppointment(state),
    sentiment: state.sentiment,
    sentimentBooked,
    effective: effectiveStatus(at, sentimentBooked, rules),
    lastInboundAt: state.lastInboundAt,
    lastMessageDirection: state.lastMessageDirection,
    checks: state.checks,
    counts: state.counts,
  };
}

/** The provider checks as a list (for evidence summaries and API rows). */
export function checkList(state: Pick<LeadLifecycle, 'checks'>): { provider: Provider; check: ProviderCheck }[] {
  const out: { provider: Provider; check: ProviderCheck }[] = [];
  for (const provider of PROVIDER_NAMES) {
    const check = forProvider(state.checks, provider);
    if (check !== null) out.push({ provider, check });
  }
  return out;
}
