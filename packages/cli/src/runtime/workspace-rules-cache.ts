/**
 * Projections take the workspace rules synchronously (`rulesFor(workspaceId)`), while the settings
 * live in PostgreSQL. This cache loads every workspace's rule settings at start and refreshes them
 * on an interval (default 15 s); a workspace not yet seen gets the domain's defaults, which are
 * also what a workspace without settings has.
 */
import { DEFAULT_WORKSPACE_RULES, type WorkspaceRules } from '@recon/domain';
import { listWorkspaceRuleSettings, type WorkspacesDatabase } from '@recon/workspaces';
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
    const rows = await listWorkspaceRuleSettings(db);
    rules = new Map(
      rows.map((r) => [
        r.workspaceId,
        { bookedSentimentLabels: [...r.bookedSentimentLabels], autoCorrectSentiment: r.autoCorrectSentiment },
      ]),
    );
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
