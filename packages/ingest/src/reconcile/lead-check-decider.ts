/**
 * The domain's lead-check decider (`decideLeadCheck`) wired for handleCommand: stored lead events
 * are parsed back and folded, decided `LeadProviderChecked` events get the one event-id scheme
 * (`withEventIds` over the lead stream and the revision read), so a retried append of the same
 * round at the same revision carries the same ids.
 */
import {
  LeadEvent,
  decideLeadCheck,
  evolveLeadLifecycle,
  initialLeadLifecycle,
  leadStreamName,
  withEventIds,
  type LeadLifecycle,
  type RecordLeadChecks,
} from '@recon/domain';
import type { RecordedEvent } from '@recon/eventstore';
import type { StreamDecider } from '../handle-command';

export function evolveLeadFromRecorded(state: LeadLifecycle, recorded: RecordedEvent): LeadLifecycle {
  const parsed = LeadEvent.safeParse({ type: recorded.type, data: recorded.data });
  return parsed.success ? evolveLeadLifecycle(state, parsed.data) : state;
}

export const leadCheckDecider: StreamDecider<RecordLeadChecks, LeadLifecycle> = {
  initialState: initialLeadLifecycle,
  evolve: evolveLeadFromRecorded,
  decide: (command, state, revision) =>
    withEventIds(leadStreamName(command.workspaceId, command.leadId), revision, decideLeadCheck(command, state)).map(
      ({ id, event }) => ({
        id,
        type: event.type,
        data: event.data,
      }),
    ),
};
