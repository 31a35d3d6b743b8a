/**
 * Backfills on /metrics, read at scrape time from `backfill_jobs`: unfinished jobs by status (the
 * partial unique index on `status IN ('queued', 'running')` holds at most one per workspace), the
 * leads done and to do summed over running jobs (progress = done / total), how long the least
 * recently updated unfinished job has gone without saving progress (a running job saves its cursor
 * after every page), and jobs that finished in the last 24 h by status (on the `finished_at`
 * index). No job or workspace ids: label values are statuses only.
 */
import { sql, type Kysely } from 'kysely';
import { within } from '../ops/readiness';
import type { MetricsRegistry } from './metrics-registry';

const UNFINISHED = ['queued', 'running'] as const;
const FINISHED = ['completed', 'canceled', 'failed'] as const;

export function installBackfillMetrics(registry: MetricsRegistry, db: Kysely<unknown>): void {
  const jobs = registry.gauge('recon_backfill_jobs', 'Unfinished backfill jobs by status (queued, running)', [
    'status',
  ]);
  const leadsTotal = registry.gauge('recon_backfill_leads_total', 'Leads to check, summed over running backfills');
  const leadsDone = registry.gauge('recon_backfill_leads_done', 'Leads checked so far, summed over running backfills');
  const stalled = registry.gauge(
    'recon_backfill_stalled_seconds',
    'Longest time an unfinished backfill has gone without saving progress, by status (0 when none)',
    ['status'],
  );
  const finished = registry.gauge(
    'recon_backfill_jobs_finished_last_day',
    'Backfill jobs that finished in the last 24 h, by status (completed, canceled, failed)',
    ['status'],
  );
  registry.onCollect(async () => {
    const read = await within(
      Promise.all([
        sql<{ status: string; n: string; total: string | null; done: string | null; idle: number | null }>`
          SELECT status, count(*) AS n, sum(leads_total) AS total, sum(leads_done) AS done,
                 max(extract(epoch FROM now() - updated_at))::float8 AS idle
          FROM backfill_jobs WHERE status IN ('queued', 'running') GROUP BY status`.execute(db),
        sql<{ status: string; n: string }>`
          SELECT status, count(*) AS n FROM backfill_jobs
          WHERE finished_at > now() - interval '24 hours' GROUP BY status`.execute(db),
      ]),
    );
    jobs.reset();
    stalled.reset();
    finished.reset();
    leadsTotal.reset();
    leadsDone.reset();
    if (!read.ok) return;
    const [unfinished, recent] = read.value;
    for (const status of UNFINISHED) {
      const row = unfinished.rows.find((r) => r.status === status);
      jobs.set({ status }, Number(row?.n ?? 0));
      stalled.set({ status }, Math.max(0, row?.idle ?? 0));
      if (status === 'running') {
        leadsTotal.set(Number(row?.total ?? 0));
        leadsDone.set(Number(row?.done ?? 0));
      }
    }
    for (const status of FINISHED)
      finished.set({ status }, Number(recent.rows.find((r) => r.status === status)?.n ?? 0));
  });
}
