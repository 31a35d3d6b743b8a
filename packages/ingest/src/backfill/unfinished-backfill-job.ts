/** The newest backfill job of a workspace that is still queued or running (to resume it), or null. */
import type { ReconcileDb } from '../reconcile/reconcile-tables';

export async function findUnfinishedBackfillJob(db: ReconcileDb, workspaceId: string): Promise<string | null> {
  const row = await db
    .selectFrom('backfill_jobs')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', ['queued', 'running'])
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row?.id ?? null;
}
