/**
 * Starts a backfill job unless the workspace already has an unfinished one (queued or running).
 * The database decides (the partial unique index `backfill_jobs_one_unfinished`), so two
 * concurrent requests cannot both start one: the loser gets `BACKFILL_RUNNING` and the running
 * job's id.
 */
import type { BackfillJobRow, ReconcileDb } from '../reconcile/reconcile-tables';
import { createBackfillJob } from './backfill-jobs';
import { findUnfinishedBackfillJob } from './unfinished-backfill-job';

export type StartBackfillResult =
  | { readonly ok: true; readonly job: BackfillJobRow }
  | { readonly ok: false; readonly code: 'BACKFILL_RUNNING'; readonly runningId: string | null };

const ONE_UNFINISHED = 'backfill_jobs_one_unfinished';

function isOneUnfinishedViolation(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e !== null && typeof e === 'object' && e.code === '23505' && e.constraint === ONE_UNFINISHED;
}

export async function startBackfillJob(
  db: ReconcileDb,
  input: Parameters<typeof createBackfillJob>[1],
): Promise<StartBackfillResult> {
  try {
    return { ok: true, job: await createBackfillJob(db, input) };
  } catch (error) {
    if (!isOneUnfinishedViolation(error)) throw error;
    // The running job may finish in between: its id is then unknown (null), the answer stays 409.
    return { ok: false, code: 'BACKFILL_RUNNING', runningId: await findUnfinishedBackfillJob(db, input.workspaceId) };
  }
}
