/**
 * DELETE contact, the event half: appends `LeadContactErased` to the lead's stream (the domain's
 * `decideEraseLeadContact`: once per erasure, nothing for an unregistered or already erased lead),
 * so the read models drop the lead's identifiers and notes, live and on every rebuild.
 */
import {
  decideEraseLeadContact,
  type EraseLeadContactCommand,
  evolveLeadErasure,
  initialLeadErasure,
  type LeadErasureState,
  type LeadEvent,
  leadStreamName,
} from '@recon/domain';
import type { Position } from '@recon/eventstore';
import { fromDomainDecider, parseLeadEvent } from '../domain-decider';
import { handleCommand, type StoreFailureCode } from '../handle-command';
import type { LeadFeedDeps } from './lead-feed-deps';

const eraseLeadDecider = fromDomainDecider<EraseLeadContactCommand, LeadErasureState, LeadEvent>({
  initialState: initialLeadErasure,
  evolve: evolveLeadErasure,
  decide: decideEraseLeadContact,
  parse: parseLeadEvent,
  streamOf: (c) => leadStreamName(c.workspaceId, c.leadId),
});

export type EraseLeadEventResult =
  | { readonly ok: true; readonly appended: boolean; readonly position: Position | null }
  | { readonly ok: false; readonly code: StoreFailureCode | 'CONCURRENCY_CONFLICT' };

export async function appendLeadErasure(
  deps: Pick<LeadFeedDeps, 'store' | 'clock'>,
  target: { workspaceId: string; leadId: string },
): Promise<EraseLeadEventResult> {
  const command = { ...target, erasedAt: deps.clock().toISOString() };
  const result = await handleCommand(
    deps.store,
    leadStreamName(target.workspaceId, target.leadId),
    eraseLeadDecider,
    command,
  );
  if (!result.ok) return { ok: false, code: result.code };
  return { ok: true, appended: result.appended.length > 0, position: result.position };
}
