/**
 * Projections take the workspace rules synchronously (`rulesFor(workspaceId)`), while the settings
 * live in PostgreSQL. This cache loads every workspace's rule settings at start and refreshes them
 * on an interval (default 15 s); a workspace not yet seen gets the domain's defaults, which are
 * also what a workspace without settings has.
 */
import { DEFAULT_WORKSPACE_RULES, type WorkspaceRules } from '@recon/domain';
import type { WorkspacesDatabase } from '@recon/workspaces';
import type { Kysely } from 'kysely';

export interface WorkspaceRulesCache {
  rulesFor(workspaceId: string): WorkspaceRules;
  refresh(): Promise<void>;
  stop(): void;
}

export async function startWorkspaceRulesCache(
  db: Kysely<WorkspacesDatabase>,
  options: { readonly refreshMs?: number; readonly onError?: (error: unknown) => void } = {},
): Promise<WorkspaceRulesCache> {
  let rules = new Map<string, WorkspaceRules>();
  const refresh = async () => {
    const rows = await db.selectFrom('workspace_settings').select(['workspace_id', 'booked_sentiment_labels', 'auto_correct_sentiment']).execute();
    rules = new Map(rows.map((r) => [r.workspace_id, { bookedSentimentLabels: [...r.booked_sentiment_labels], autoCorrectSentiment: r.auto_correct_sentiment }]));
  };
  await refresh();
  const timer = setInterval(() => {
    refresh().catch((error: unknown) => options.onError?.(error));
  }, options.refreshMs ?? 15_000);
  timer.unref();
  return {
    rulesFor: (workspaceId) => rules.get(workspaceId) ?? DEFAULT_WORKSPACE_RULES,
    refresh,
    stop: () => clearInterval(timer),
  };
}
