/**
 * recon starts a bounded backfill by itself for an unhealthy provider (provider-health.ts): one job
 * for that provider over meetings starting from AUTO_BACKFILL_DAYS_BACK days ago to
 * AUTO_BACKFILL_DAYS_AHEAD days ahead, recorded in `auto_backfills` with the reasons. Idempotent:
 * nothing when the provider had one within AUTO_BACKFILL_COOLDOWN_HOURS, and the workspace's one
 * unfinished job rule (startBackfillJob) holds, so at most one runs. The scheduler's resume loop runs
 * the queued job.
 */
import { sql } from 'kysely';
import type { BackfillProvider } from '../backfill/backfill-jobs';
import { startBackfillJob } from '../backfill/start-backfill-job';
import type { ReconcileDeps } from '../reconcile/reconcile-deps';
import { reconcileDb } from '../reconcile/reconcile-tables';
import { getProviderHealth } from './provider-health';

export const AUTO_BACKFILL_DAYS_BACK = 7;
export const AUTO_BACKFILL_DAYS_AHEAD = 60;
export const AUTO_BACKFILL_COOLDOWN_HOURS = 24;

const DAY_MS = 86_400_000;

export interface AutoBackfillStarted {
  readonly workspaceId: string;
  readonly provider: string;
  readonly jobId: string;
}

async function startedRecently(deps: ReconcileDeps, ws: string, provider: string, now: Date): Promise<boolean> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM auto_backfills WHERE workspace_id = ${ws} AND provider = ${provider}
      AND started_at > ${now.toISOString()}::timestamptz - make_interval(hours => ${AUTO_BACKFILL_COOLDOWN_HOURS})`.execute(
    deps.db,
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

/** Evaluates one workspace's providers and starts a backfill for the first unhealthy one that may have one. */
export async function startAutoBackfill(deps: ReconcileDeps, workspaceId: string): Promise<AutoBackfillStarted | null> {
  const health = await getProviderHealth(deps, workspaceId);
  for (const p of health) {
    if (p.healthy) continue;
    const now = deps.clock();
    if (await startedRecently(deps, workspaceId, p.provider, now)) continue;
    const from = new Date(now.getTime() - AUTO_BACKFILL_DAYS_BACK * DAY_MS).toISOString();
    const to = new Date(now.getTime() + AUTO_BACKFILL_DAYS_AHEAD * DAY_MS).toISOString();
    const started = await startBackfillJob(reconcileDb(deps.db), {
      workspaceId,
      providers: [p.provider as BackfillProvider],
      from,
      to,
      now,
    });
    if (!started.ok) return null; // the workspace's one unfinished backfill is running
    await sql`
      INSERT INTO auto_backfills (workspace_id, provider, job_id, reasons, range_from, range_to, started_at)
      VALUES (${workspaceId}, ${p.provider}, ${started.job.id}, ${JSON.stringify(p.reasons)}::jsonb, ${from}, ${to},
        ${now.toISOString()})
      ON CONFLICT DO NOTHING`.execute(deps.db);
    return { workspaceId, provider: p.provider, jobId: started.job.id };
  }
  return null;
}

/** Every workspace that has received webhooks, one after the other; failures of one do not stop the rest. */
export async function startAutoBackfills(deps: ReconcileDeps): Promise<AutoBackfillStarted[]> {
  const { rows } = await sql<{ workspace_id: string }>`
    SELECT DISTINCT workspace_id FROM webhook_receipts ORDER BY workspace_id`.execute(deps.db);
  const started: AutoBackfillStarted[] = [];
  for (const { workspace_id } of rows) {
    try {
      const s = await startAutoBackfill(deps, workspace_id);
      if (s !== null) started.push(s);
    } catch {
      // One workspace's failure (its credentials, the database) leaves the others to the next round.
    }
  }
  return started;
}
