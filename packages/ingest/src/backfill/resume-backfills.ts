/**
 * Resumes backfill jobs nobody is running (their runner was killed, or a serverless invocation
 * timed out): each is claimed under its lease and continued from its saved cursor. The scheduler
 * calls it every tick; `recon backfill --resume` may too. Each job's end is logged (when `log` is
 * given: job id, workspace id, code); a job whose runner throws is left failed (BACKFILL_CRASHED)
 * and the next job still runs.
 */
import type { ReconcileDeps } from '../reconcile/reconcile-deps';
import { reconcileDb } from '../reconcile/reconcile-tables';
import { orphanedBackfillJobs } from './backfill-jobs';
import { logBackfillCrash, logBackfillResult, type BackfillLog } from './backfill-log';
import { BACKFILL_CRASHED, runBackfill, type RunBackfillOptions, type RunBackfillResult } from './run-backfill';

export interface ResumeBackfillsOptions extends Omit<RunBackfillOptions, 'jobId'> {
  /** Where each resumed job's end is logged (default: nowhere). */
  readonly log?: BackfillLog;
}

export async function resumeBackfills(
  deps: ReconcileDeps,
  options: ResumeBackfillsOptions = {},
): Promise<RunBackfillResult[]> {
  const { log, ...run } = options;
  const jobs = await orphanedBackfillJobs(reconcileDb(deps.db));
  const results: RunBackfillResult[] = [];
  for (const job of jobs) {
    if (run.signal?.aborted) break;
    const ids = { backfill: job.id, workspaceId: job.workspace_id };
    try {
      const result = await runBackfill(deps, { ...run, jobId: job.id });
      if (log !== undefined) logBackfillResult(log, ids, result);
      results.push(result);
    } catch (error) {
      if (log !== undefined) logBackfillCrash(log, ids, error);
      results.push({ ok: false, code: BACKFILL_CRASHED });
    }
  }
  return results;
}
