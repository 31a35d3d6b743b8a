/** POST messages: records message activity on a registered lead (times and direction only). */
import type { Position } from '@recon/eventstore';
import { leadStreamName, type MessageDirection } from '@recon/domain';
import { type StoreFailureCode, handleCommand } from '../handle-command';
import { leadMessageDecider, type LeadFeedDeps } from './lead-feed-deps';

export type RecordLeadMessageResult =
  | { readonly ok: true; readonly recorded: boolean; readonly position: Position | null }
  | { readonly ok: false; readonly code: 'LEAD_NOT_FOUND' | StoreFailureCode | 'CONCURRENCY_CONFLICT' };

export async function recordLeadMessage(
  deps: Pick<LeadFeedDeps, 'store' | 'clock'>,
  target: { workspaceId: string; leadId: string },
  message: { direction: MessageDirection; at: string },
): Promise<RecordLeadMessageResult> {
  const command = { ...target, ...message, now: deps.clock().toISOString() };
  // An unregistered lead has no stream to record on: the domain decides nothing, reported below.
  const result = await handleCommand(
    deps.store,
    leadStreamName(target.workspaceId, target.leadId),
    leadMessageDecider,
    command,
  );
  if (!result.ok) return { ok: false, code: result.code };
  if (!result.stateBefore.registered) return { ok: false, code: 'LEAD_NOT_FOUND' };
  return { ok: true, recorded: result.appended.length > 0, position: result.position };
}
