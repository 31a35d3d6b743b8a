/**
 * Appends the reconciliation watermark: one `LeadProviderChecked` per provider asked, on the lead's
 * stream, with the domain's deterministic ids. A retried append of the same check decides nothing.
 * `onlyWhenChanged` (backfills) also decides nothing when the provider's last check already had
 * the same outcome, so re-running a backfill over the same range appends no event at all.
 */
import { LeadEvent, evolveLeadLifecycle, initialLeadLifecycle, leadEventId, type LeadLifecycle, type LeadProviderChecked, type Provider, type ProviderCheckOutcome } from '@recon/domain';
import type { RecordedEvent } from '@recon/eventstore';
import type { StreamDecider } from '../handle-command';

export interface RecordChecksCommand {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly checkedAt: string;
  readonly checks: readonly { readonly provider: Provider; readonly outcome: ProviderCheckOutcome }[];
  readonly onlyWhenChanged: boolean;
}

export function evolveLeadFromRecorded(state: LeadLifecycle, recorded: RecordedEvent): LeadLifecycle {
  const parsed = LeadEvent.safeParse({ type: recorded.type, data: recorded.data });
  return parsed.success ? evolveLeadLifecycle(state, parsed.data) : state;
}

const sameOutcome = (a: ProviderCheckOutcome, b: ProviderCheckOutcome) => JSON.stringify(a) === JSON.stringify(b);

export const leadCheckDecider: StreamDecider<RecordChecksCommand, LeadLifecycle> = {
  initialState: initialLeadLifecycle,
  evolve: evolveLeadFromRecorded,
  decide: (command, state) => {
    const events: LeadProviderChecked[] = [];
    for (const { provider, outcome } of command.checks) {
      const last = state.checks[provider];
      if (last !== null && sameOutcome(last.outcome, outcome) && (command.onlyWhenChanged || last.checkedAt === command.checkedAt)) continue;
      events.push({ type: 'LeadProviderChecked', data: { workspaceId: command.workspaceId, leadId: command.leadId, provider, outcome, checkedAt: command.checkedAt } });
    }
    return events.map((e) => ({ id: leadEventId(e), type: e.type, data: e.data }));
  },
};
