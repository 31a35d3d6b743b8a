/**
 * Resolving a review task is an event (`FollowUpTaskResolved`) on the lead's stream, so a rebuild
 * keeps resolutions. One resolution per task, ever: a second resolution decides nothing (resolving
 * twice is a no-op). The state is the set of resolved task ids, folded from the lead's events.
 */
import type { LeadEvent } from '../events/lead-events';
import type { Instant } from '../events/primitives';

export interface ResolveTaskCommand {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly taskId: string;
  /** Operator key id or `admin`, never a person's name. */
  readonly resolvedBy: string;
  readonly note: string | null;
  readonly resolvedAt: Instant;
}

export interface TaskResolutionsState {
  readonly resolved: readonly string[];
}

export function initialTaskResolutions(): TaskResolutionsState {
  return { resolved: [] };
}

export function evolveTaskResolutions(state: TaskResolutionsState, event: LeadEvent): TaskResolutionsState {
  if (event.type !== 'FollowUpTaskResolved' || state.resolved.includes(event.data.taskId)) return state;
  return { resolved: [...state.resolved, event.data.taskId] };
}

export function decideResolveTask(command: ResolveTaskCommand, state: TaskResolutionsState): LeadEvent[] {
  if (state.resolved.includes(command.taskId)) return [];
  const { workspaceId, leadId, taskId, resolvedBy, note, resolvedAt } = command;
  return [{ type: 'FollowUpTaskResolved', data: { workspaceId, leadId, taskId, resolvedBy, note, resolvedAt } }];
}
