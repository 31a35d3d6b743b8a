/** What the lead feed needs from the outside: the stores, the email hasher and a clock. */
import type { EventStore } from '@recon/eventstore';
import type { EmailHasher, WorkspacesDatabase } from '@recon/workspaces';
import type { Kysely } from 'kysely';
import { type StreamDecider } from '../handle-command';
import { decideLeadUpdate, type UpdateLeadCommand } from './decide-lead-update';
import { decideMessage, type RecordMessageCommand } from './decide-message';
import { evolveLeadFeedState, initialLeadFeedState, type LeadFeedState } from './lead-feed-state';

export interface LeadFeedDeps {
  readonly db: Kysely<WorkspacesDatabase>;
  readonly store: EventStore;
  readonly hashEmail: EmailHasher;
  readonly clock: () => Date;
}

export const leadUpdateDecider: StreamDecider<UpdateLeadCommand, LeadFeedState> = {
  initialState: initialLeadFeedState,
  evolve: evolveLeadFeedState,
  decide: decideLeadUpdate,
};

export const leadMessageDecider: StreamDecider<RecordMessageCommand, LeadFeedState> = {
  initialState: initialLeadFeedState,
  evolve: evolveLeadFeedState,
  decide: decideMessage,
};
