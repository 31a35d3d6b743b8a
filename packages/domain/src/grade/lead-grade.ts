/**
 * The verification grade of a lead: how far its booking is proven, beside its booking state.
 * A pure function of the lead's folded facts and the workspace's booked labels.
 *
 * - `provider_confirmed`: the appointment deciding the lead's state (the fold's current one) is a
 *   provider appointment that was not canceled (scheduled, showed or no-show), whatever the label.
 * - `provider_pending`: that appointment is a Calendly invitee replaced by a reschedule whose new
 *   booking has not been seen yet.
 * - otherwise (no appointment, or the latest one canceled), with a booked sentiment label:
 *   - `contradicted` when every provider checked for the lead (a check is recorded only for a
 *     provider the workspace has configured and the lead has an identifier for) has a successful
 *     full check at or after the label's time: each answered and none shows a live appointment;
 *   - `label_only` until then (no check yet, a check before the label, or a provider failing).
 * - `unverified`: no live provider appointment and no booked label.
 *
 * Following the state's current appointment (not "any appointment ever") means a lead never reads
 * `state: canceled` with `grade: provider_confirmed`. A webhook cancellation is not a check: a
 * booked label with a canceled meeting reads `label_only` until a check after the label.
 */
import { compareInstants } from '../instants';
import { currentAppointment, forProvider, type LeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';
import { isBookedSentimentLabel, type WorkspaceRules } from '../mismatches/workspace-rules';
import { PROVIDER_NAMES, type Provider } from '../providers/provider-name';

export const LEAD_GRADES = [
  'provider_confirmed',
  'provider_pending',
  'label_only',
  'contradicted',
  'unverified',
] as const;
export type LeadGrade = (typeof LEAD_GRADES)[number];

export type GradeFacts = Pick<
  LeadLifecycle,
  'sentiment' | 'appointments' | 'currentAppointmentId' | 'checks' | 'lastSuccessfulChecks'
>;

/** Providers checked for the lead (a full check, successful or not), in the registry's order. */
export function checkedProviders(facts: Pick<LeadLifecycle, 'checks' | 'lastSuccessfulChecks'>): Provider[] {
  return PROVIDER_NAMES.filter(
    (p) => forProvider(facts.checks, p) !== null || forProvider(facts.lastSuccessfulChecks, p) !== null,
  );
}

/** Every provider checked for the lead answered successfully at or after `since` (and there is one). */
export function everyProviderAnsweredSince(
  facts: Pick<LeadLifecycle, 'checks' | 'lastSuccessfulChecks'>,
  since: string,
): boolean {
  const providers = checkedProviders(facts);
  return (
    providers.length > 0 &&
    providers.every((p) => {
      const ok = forProvider(facts.lastSuccessfulChecks, p);
      return ok !== null && compareInstants(ok.checkedAt, since) >= 0;
    })
  );
}

/** The lead's grade under the workspace's booked labels. */
export function leadGrade(facts: GradeFacts, rules: Pick<WorkspaceRules, 'bookedSentimentLabels'>): LeadGrade {
  const current = currentAppointment(facts as LeadLifecycle);
  if (current?.status === 'replaced') return 'provider_pending';
  if (current !== null && current.status !== 'canceled' && current.status !== 'invalid') return 'provider_confirmed';
  const sentiment = facts.sentiment;
  if (sentiment === null || !isBookedSentimentLabel(sentiment.label, rules)) return 'unverified';
  return everyProviderAnsweredSince(facts, sentiment.classifiedAt) ? 'contradicted' : 'label_only';
}
