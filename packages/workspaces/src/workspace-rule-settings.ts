/**
 * The rule settings of every workspace that has settings (which sentiment labels mean "booked",
 * whether evidence auto-corrects sentiment), for a process-wide cache of the workspace rules.
 */
import type { Kysely } from 'kysely';
import type { WorkspacesDatabase } from './database';

export interface WorkspaceRuleSettings {
  readonly workspaceId: string;
  readonly bookedSentimentLabels: readonly string[];
  readonly autoCorrectSentiment: boolean;
}

export async function listWorkspaceRuleSettings(db: Kysely<WorkspacesDatabase>): Promise<WorkspaceRuleSettings[]> {
  const rows = await db
    .selectFrom('workspace_settings')
    .select(['workspace_id', 'booked_sentiment_labels', 'auto_correct_sentiment'])
    .execute();
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    bookedSentimentLabels: [...r.booked_sentiment_labels],
    autoCorrectSentiment: r.auto_correct_sentiment,
  }));
}
