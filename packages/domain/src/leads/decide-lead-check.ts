/**
 * The lead-check decider: which `LeadProviderChecked` events a reconciliation round adds to the
 * lead's stream, one per provider asked (the adapter gives them ids with `eventIdsAt`). A round
 * already recorded (same provider, outcome and checkedAt) decides nothing.
 * - A full check is the reconciliation watermark; the lead fold turns `not_booked` only when every
 *   provider checked for the lead answered.
 * - A range-limited check (a date-range backfill) records what it saw in its range, carrying the
 *   range; it is never a verdict: "none in the range" says nothing about meetings outside it.
 * - `onlyWhenChanged` (backfills) decides nothing when the provider's last check of the same kind
 *   (full, or the same range) had the same outcome, so re-running a backfill appends no event.
 */
import type { LeadProviderChecked, ProviderCheckOutcome } from '../events/lead-events';
import type { Instant, Provider } from '../events/primitives';
import type { LeadLifecycle, ProviderCheck, RangedProviderCheck } from '../lead-lifecycle/lead-lifecycle-state';
import { forProvider } from '../lead-lifecycle/lead-lifecycle-state';

export interface CheckRange {
  readonly from: Instant | null;
  readonly to: Instant | null;
}

export interface RecordLeadChecks {
  readonly type: 'RecordLeadChecks';
  readonly workspaceId: string;
  readonly leadId: string;
  readonly checkedAt: Instant;
  readonly checks: readonly { readonly provider: Provider; readonly outcome: ProviderCheckOutcome }[];
  /** Only meetings starting in this range were looked at; null: a full check. */
  readonly range: CheckRange | null;
  readonly onlyWhenChanged: boolean;
}

const sameOutcome = (a: ProviderCheckOutcome, b: ProviderCheckOutcome) => JSON.stringify(a) === JSON.stringify(b);
const sameRange = (a: CheckRange, b: CheckRange) => a.from === b.from && a.to === b.to;

function alreadyRecorded(
  last: ProviderCheck | RangedProviderCheck | null,
  command: RecordLeadChecks,
  outcome: ProviderCheckOutcome,
): boolean {
  if (last === null || !sameOutcome(last.outcome, outcome)) return false;
  if (command.range !== null && (!('range' in last) || !sameRange(last.range, command.range))) return false;
  return command.onlyWhenChanged || last.checkedAt === command.checkedAt;
}

/** Pure: the check events that follow from one reconciliation round on this lead state. */
export function decideLeadCheck(command: RecordLeadChecks, state: LeadLifecycle): LeadProviderChecked[] {
  const out: LeadProviderChecked[] = [];
  for (const { provider, outcome } of command.checks) {
    const last =
      command.range === null ? forProvider(state.checks, provider) : forProvider(state.rangedChecks, provider);
    if (alreadyRecorded(last, command, outcome)) continue;
    out.push({
      type: 'LeadProviderChecked',
      data: {
        workspaceId: command.workspaceId,
        leadId: command.leadId,
        provider,
        outcome,
        checkedAt: command.checkedAt,
        ...(command.range === null ? {} : { range: { from: command.range.from, to: command.range.to } }),
      },
    });
  }
  return out;
}
