/**
 * Resolving a review task is an event (`FollowUpTaskResolved`) on the lead's stream, so a rebuild
 * keeps resolutions. One resolution per task, ever: the decider refuses a second one (resolving
 * twice is a no-op), and the event id is derived from workspace, lead and task only, so a retried
 * append is recognised by the store as the same fact.
 */
import { FollowUpTaskResolved, leadStreamName } from '@recon/domain';
import type { EventStore, EventToAppend, Position } from '@recon/eventstore';
import { handleCommand, uuidV5, type StreamDecider } from '@recon/ingest';

export interface ResolveTaskCommand {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly taskId: string;
  readonly resolvedBy: string;
  readonly note: string | null;
  readonly resolvedAt: string;
}

interface ResolutionsState {
  readonly resolved: ReadonlySet<string>;
}

export function resolutionEventId(ref: { readonly workspaceId: string; readonly leadId: string; readonly taskId: string }): string {
  return uuidV5(JSON.stringify(['lead', ref.workspaceId, ref.leadId, 'FollowUpTaskResolved', ref.taskId]));
}

export const resolveTaskDecider: StreamDecider<ResolveTaskCommand, ResolutionsState> = {
  initialState: () => ({ resolved: new Set() }),
  evolve: (state, event) => {
    if (event.type !== 'FollowUpTaskResolved') return state;
    const taskId = (event.data as { taskId?: unknown }).taskId;
    return typeof taskId === 'string' ? { resolved: new Set([...state.resolved, taskId]) } : state;
  },
  decide: (command, state): EventToAppend[] => {
    if (state.resolved.has(command.taskId)) return [];
    const event = FollowUpTaskResolved.parse({
      type: 'FollowUpTaskResolved',
      data: {
        workspaceId: command.workspaceId,
        leadId: command.leadId,
        taskId: command.taskId,
        resolvedBy: command.resolvedBy,
        note: command.note,
        resolvedAt: command.resolvedAt,
      },
    });
    return [{ id: resolutionEventId(command), type: event.type, data: event.data }];
  },
};

export type ResolveTaskResult =
  | { readonly ok: true; readonly appended: boolean; readonly position: Position | null }
  | { readonly ok: false; readonly code: 'EVENT_STORE_UNAVAILABLE' | 'CONCURRENCY_CONFLICT' };

export async function resolveTask(store: EventStore, command: ResolveTaskCommand): Promise<ResolveTaskResult> {
  const result = await handleCommand(store, leadStreamName(command.workspaceId, command.leadId), resolveTaskDecider, command);
  if (!result.ok) return { ok: false, code: result.code };
  return { ok: true, appended: result.appended.length > 0, position: result.position };
}
