import { describe } from 'vitest';
import { it } from 'vitest';
import type { LeadEvent } from '../events/lead-events';
import { deciderSpec } from '../testing/decider-spec';
import {
  decideResolveTask,
  evolveTaskResolutions,
  initialTaskResolutions,
  type ResolveTaskCommand,
  type TaskResolutionsState,
} from './resolve-task';

const spec = deciderSpec<ResolveTaskCommand, LeadEvent, TaskResolutionsState>({
  initialState: initialTaskResolutions,
  evolve: evolveTaskResolutions,
  decide: decideResolveTask,
});
const resolve: ResolveTaskCommand = {
  workspaceId: 'ws',
  leadId: 'L1',
  taskId: 't-1',
  resolvedBy: 'key-1',
  note: 'called',
  resolvedAt: '2030-06-02T00:00:00.000Z',
};

describe('decideResolveTask', () => {
  it('given an unresolved task, when resolved, then FollowUpTaskResolved', () => {
    spec
      .given([])
      .when(resolve)
      .then([{ type: 'FollowUpTaskResolved', data: resolve }]);
  });

  it('given a resolved task, when resolved again (another operator, later), then nothing', () => {
    const first = decideResolveTask(resolve, initialTaskResolutions());
    spec
      .given(first)
      .when({ ...resolve, resolvedBy: 'admin', resolvedAt: '2030-06-03T00:00:00.000Z' })
      .thenNothingHappens();
    spec
      .given(first)
      .when({ ...resolve, taskId: 't-2' })
      .thenMatches([{ data: { taskId: 't-2' } }]);
  });
});
