/** What the lead feed needs from the outside (stores, email hasher, clock), and its thin deciders. */
import type { EventStore } from '@recon/eventstore';
import {
  decideLeadUpdate,
  decideMessage,
  evolveLeadFeedState,
  initialLeadFeedState,
  leadStreamName,
  type LeadFeedState,
  type RecordMessageCommand,
  type UpdateLeadCommand,
} from '@recon/domain';
import type { EmailHasher, WorkspacesDatabase } from '@recon/workspaces';
import type { Kysely } from 'kysely';
import { fromDomainDecider, parseLeadEvent } from '../domain-decider';

export interface LeadFeedDeps {
  readonly db: Kysely<WorkspacesDatabase>;
  readonly store: EventStore;
  readonly hashEmail: EmailHasher;
  readonly clock: () => Date;
}

const feed = { initialState: initialLeadFeedState, evolve: evolveLeadFeedState, parse: parseLeadEvent };
const streamOf = (c: { readonly workspaceId: string; readonly leadId: string }) =>
  leadStreamName(c.workspaceId, c.leadId);

export const leadUpdateDecider = fromDomainDecider<
  UpdateLeadCommand,
  LeadFeedState,
  ReturnType<typeof decideLeadUpdate>[number]
>({ ...feed, decide: decideLeadUpdate, streamOf });

export const leadMessageDecider = fromDomainDecider<
  RecordMessageCommand,
  LeadFeedState,
  ReturnType<typeof decideMessage>[number]
>({ ...feed, decide: decideMessage, streamOf });
