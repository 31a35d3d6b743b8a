/**
 * Events of a workspace's stream (`workspace-…`): the workspace rules the projections fold
 * (which sentiment labels mean "booked", whether evidence auto-corrects sentiment). A change of the
 * rules is a fact in the log, so every read model (live or rebuilt) evaluates a lead with the rules
 * in force at that point of the log.
 */
import { z } from 'zod';
import { Instant, WorkspaceId } from './primitives';

export const WorkspaceRulesChanged = z.object({
  type: z.literal('WorkspaceRulesChanged'),
  data: z.object({
    workspaceId: WorkspaceId,
    bookedSentimentLabels: z.array(z.string().min(1).max(100)).max(100),
    autoCorrectSentiment: z.boolean(),
    changedAt: Instant,
  }),
});
export type WorkspaceRulesChanged = z.infer<typeof WorkspaceRulesChanged>;

export const WorkspaceEvent = z.discriminatedUnion('type', [WorkspaceRulesChanged]);
export type WorkspaceEvent = z.infer<typeof WorkspaceEvent>;
