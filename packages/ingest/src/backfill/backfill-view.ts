/** A backfill job as the API and the CLI show it: status, progress, rate and ETA (no PII). */
import type { BackfillJobRow } from '../reconcile/reconcile-tables';

export interface BackfillView {
  readonly id: string;
  readonly workspaceId: string;
  readonly status: string;
  readonly providers: readonly string[];
  readonly from: string | null;
  readonly to: string | null;
  readonly phase: string;
  readonly leadsDone: number;
  readonly leadsTotal: number;
  readonly eventsAppended: number;
  readonly failures: Readonly<Record<string, number>>;
  /** Leads per minute since the job started; null before any progress. */
  readonly ratePerMinute: number | null;
  /** Seconds until the lead phase is done at the current rate; null when unknown or finished. */
  readonly etaSeconds: number | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly cancelRequested: boolean;
  /** Why a failed job failed (a code such as PROVIDER_UNAUTHORIZED or BACKFILL_CRASHED); null otherwise. */
  readonly errorCode: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toBackfillView(row: BackfillJobRow, now: Date): BackfillView {
  const started = row.started_at === null ? null : new Date(row.started_at).getTime();
  const end = row.finished_at === null ? now.getTime() : new Date(row.finished_at).getTime();
  const minutes = started === null ? 0 : Math.max(1e-3, (end - started) / 60_000);
  const rate = started === null || row.leads_done === 0 ? null : Math.round((row.leads_done / minutes) * 10) / 10;
  const left = Math.max(0, row.leads_total - row.leads_done);
  const running = row.status === 'running' || row.status === 'queued';
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    status: row.status,
    providers: row.providers,
    from: iso(row.range_from),
    to: iso(row.range_to),
    phase: String((row.cursor as { phase?: unknown }).phase ?? 'leads'),
    leadsDone: row.leads_done,
    leadsTotal: row.leads_total,
    eventsAppended: row.events_appended,
    failures: row.failures,
    ratePerMinute: rate,
    etaSeconds: running && rate !== null && rate > 0 ? Math.round((left / rate) * 60) : null,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    cancelRequested: row.cancel_requested,
    errorCode: row.error_code ?? null,
  };
}
