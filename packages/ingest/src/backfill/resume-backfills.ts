/**
 * Resumes backfill jobs nobody is running (their runner was killed, or a serverless invocation
 * timed out): each is claimed under its lease and continued from its saved cursor. The scheduler
 * calls it every tick; `recon backfill --resume` may too.
 */
import type { ReconcileDeps } from '../reconcile/reconcile-deps';
import { reconcileDb } from '../reconcile/reconcile-tables';
import { orphanedBackfillJobs } from './backfill-jobs';
import { runBackfill, type RunBackfillOptions, type RunBackfillResult } from './run-backfill';

export async function resumeBackfills(
  deps: ReconcileDeps,
  options: Omit<RunBackfillOptions, 'jobId'> = {},
): Promise<RunBackfillResult[]> {
  const jobs = await orphanedBackfillJobs(reconcileDb(deps.db));
  const results: RunBackfillResult[] = [];
  for (const job of jobs) {
    if (options.signal?.aborted) break;
    results.push(await runBackfill(deps, { ...options, jobId: job.id }));
  }
  return results;
}
