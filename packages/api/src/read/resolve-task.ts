/**
 * Resolving a review task: a thin adapter over the domain's `decideResolveTask` (one resolution per
 * task, ever; resolving twice decides nothing). Reads the lead's stream, lets the domain decide,
 * appends with the domain's event ids (stream + revision read + fact).
 */
import {
  decideResolveTask,
  evolveTaskResolutions,
  initialTaskResolutions,
  leadStreamName,
  type LeadEvent,
  type ResolveTaskCommand,
  type TaskResolutionsState,
} from '@recon/domain';
import type { EventStore, Position } from '@recon/eventstore';
import { fromDomainDecider, handleCommand, parseLeadEvent, type StoreFailureCode } from '@recon/ingest';

export type { ResolveTaskCommand } from '@recon/domain';

export const resolveTaskDecider = fromDomainDecider<ResolveTaskCommand, TaskResolutionsState, LeadEvent>({
  initialState: initialTaskResolutions,
  evolve: evolveTaskResolutions,
  decide: decideResolveTask,
  parse: parseLeadEvent,
  streamOf: (c) => leadStreamName(c.workspaceId, c.leadId),
});

export type ResolveTaskResult =
  | { readonly ok: true; readonly appended: boolean; readonly position: Position | null }
  | { readonly ok: false; readonly code: StoreFailureCode | 'CONCURRENCY_CONFLICT' };

export async function resolveTask(store: EventStore, command: ResolveTaskCommand): Promise<ResolveTaskResult> {
  const result = await handleCommand(
    store,
    leadStreamName(command.workspaceId, command.leadId),
    resolveTaskDecider,
    command,
  );
  if (!result.ok) return { ok: false, code: result.code };
  return { ok: true, appended: result.appended.length > 0, position: result.position };
}
