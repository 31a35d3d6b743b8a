/**
 * The resumable backfill runner (CLI `recon backfill`, the backfill routes, a resumed job after a
 * crash). Phase 1 walks the workspace's leads in lead-id order, a page at a time, reconciling each
 * against the chosen providers within the range (meeting start times); phase 2 runs the window scan
 * of each chosen provider that has one (Calendly: the organization's events in the range, page by
 * page: bookings under other emails, later changes). The cursor is saved after every page, so a
 * killed runner (or a serverless timeout) continues where it stopped. Idempotent: decided events
 * have deterministic ids, the watermark uses the job's creation time and is only appended when a
 * provider's outcome changed, so a second run over the same range appends nothing. Requests go through the process-wide limiters, beside live traffic.
 */
import { randomUUID } from 'node:crypto';
import type { Provider } from '@recon/domain';
import { sql } from 'kysely';
import { providerNames } from '../providers/registry';
import { reconcileLead } from '../reconcile/reconcile-lead';
import type { ReconcileDeps } from '../reconcile/reconcile-deps';
import { reconcileDb, type BackfillJobRow } from '../reconcile/reconcile-tables';
import { workspaceProviders } from '../reconcile/workspace-providers';
import {
  claimBackfillJob,
  failBackfillJob,
  finishBackfillJob,
  saveBackfillProgress,
  type BackfillCursor,
  type BackfillProvider,
  type BackfillStatus,
} from './backfill-jobs';
import { toBackfillView, type BackfillView } from './backfill-view';

export interface RunBackfillOptions {
  readonly jobId: string;
  /** Lease owner (default random). */
  readonly holder?: string;
  /** Leads per page (one cursor save per page; default 50). */
  readonly pageSize?: number;
  /** Leads of a page in flight at once (default 4). */
  readonly concurrency?: number;
  /** Lease TTL, renewed at every page (default 60 s). */
  readonly leaseTtlMs?: number;
  /** Called after every saved page (the CLI's progress bar). */
  readonly onProgress?: (view: BackfillView) => void;
  /** Stop after the current page (a serverless time budget); the job stays resumable. */
  readonly signal?: AbortSignal;
}

export type RunBackfillResult =
  | { readonly ok: true; readonly view: BackfillView; readonly paused: boolean }
  | {
      readonly ok: false;
      readonly code: 'BACKFILL_NOT_FOUND' | 'BACKFILL_BUSY' | 'BACKFILL_LEASE_LOST' | typeof BACKFILL_CRASHED;
    };

const YEAR = 365 * 86_400_000;

/** The scan phase after `after`'s (or the first, for null), or done. */
function nextScan(scanners: readonly Provider[], after: Provider | null): BackfillCursor {
  const rank = after === null ? -1 : providerNames.indexOf(after);
  const next = scanners.find((p) => providerNames.indexOf(p) > rank);
  return next === undefined ? { phase: 'done' } : { phase: `${next}-scan`, pageToken: null };
}

function failureCodes(codes: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of codes) out[c] = (out[c] ?? 0) + 1;
  return out;
}

export async function runBackfill(deps: ReconcileDeps, options: RunBackfillOptions): Promise<RunBackfillResult> {
  const db = reconcileDb(deps.db);
  const holder = options.holder ?? randomUUID();
  const ttl = options.leaseTtlMs ?? 60_000;
  const exists = await db.selectFrom('backfill_jobs').select('id').where('id', '=', options.jobId).executeTakeFirst();
  if (!exists) return { ok: false, code: 'BACKFILL_NOT_FOUND' };
  const job = await claimBackfillJob(db, options.jobId, holder, ttl);
  if (!job) {
    const row = await db
      .selectFrom('backfill_jobs')
      .selectAll()
      .where('id', '=', options.jobId)
      .executeTakeFirstOrThrow();
    if (row.status !== 'queued' && row.status !== 'running')
      return { ok: true, view: toBackfillView(row, deps.clock()), paused: false };
    return { ok: false, code: 'BACKFILL_BUSY' };
  }
  try {
    return await runClaimed(deps, options, job, holder);
  } catch (error) {
    // Shown on the job (GET …/backfills/:id → failed, errorCode) instead of `running` until the lease expires.
    await failBackfillJob(db, options.jobId, holder, BACKFILL_CRASHED).catch(() => undefined);
    throw error;
  }
}

/** A thrown runner (a bug, the database down) leaves its job failed with this code. */
export const BACKFILL_CRASHED = 'BACKFILL_CRASHED' as const;

async function runClaimed(
  deps: ReconcileDeps,
  options: RunBackfillOptions,
  claimed: BackfillJobRow,
  holder: string,
): Promise<RunBackfillResult> {
  const db = reconcileDb(deps.db);
  const ttl = options.leaseTtlMs ?? 60_000;
  const pageSize = options.pageSize ?? 50;
  let job: BackfillJobRow | null = claimed;
  const ws = job.workspace_id;
  const providers = job.providers as BackfillProvider[];
  const range = {
    from: job.range_from ? new Date(job.range_from).toISOString() : undefined,
    to: job.range_to ? new Date(job.range_to).toISOString() : undefined,
  };
  const checkedAt = new Date(job.created_at);
  let cursor = job.cursor as unknown as BackfillCursor;
  const finish = async (
    status: Exclude<BackfillStatus, 'queued' | 'running'>,
    errorCode: string | null = null,
  ): Promise<RunBackfillResult> => {
    await finishBackfillJob(db, options.jobId, holder, status, errorCode);
    const row = await db
      .selectFrom('backfill_jobs')
      .selectAll()
      .where('id', '=', options.jobId)
      .executeTakeFirstOrThrow();
    const view = toBackfillView(row, deps.clock());
    options.onProgress?.(view);
    return { ok: true, view, paused: false };
  };
  const save = async (delta: Parameters<typeof saveBackfillProgress>[4]) => {
    job = await saveBackfillProgress(db, options.jobId, holder, ttl, delta);
    if (job) options.onProgress?.(toBackfillView(job, deps.clock()));
    return job;
  };
  /** Stops here, keeping the cursor, and frees the lease at once so another runner may resume. */
  const pause = async (): Promise<RunBackfillResult> => {
    await db
      .updateTable('backfill_jobs')
      .set({ holder: null, lease_expires_at: null })
      .where('id', '=', options.jobId)
      .where('holder', '=', holder)
      .execute();
    const row = await db
      .selectFrom('backfill_jobs')
      .selectAll()
      .where('id', '=', options.jobId)
      .executeTakeFirstOrThrow();
    return { ok: true, view: toBackfillView(row, deps.clock()), paused: true };
  };
  const paused = async (): Promise<RunBackfillResult | null> => (options.signal?.aborted ? pause() : null);
  /** The job's providers whose connection has a window scan, in registry order. */
  const scanners = async (): Promise<Provider[]> => {
    const connected = (await workspaceProviders(deps, ws)).connections;
    return providerNames.filter((p) => providers.includes(p) && connected[p]?.scanWindow !== undefined);
  };

  if (cursor.phase === 'leads') {
    if (job.leads_total === 0) {
      const { rows } = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM lead_contacts WHERE workspace_id = ${ws}`.execute(db);
      if (!(await save({ cursor, leadsDone: 0, eventsAppended: 0, failures: {}, leadsTotal: Number(rows[0]?.n ?? 0) })))
        return { ok: false, code: 'BACKFILL_LEASE_LOST' };
    }
    for (;;) {
      if (job.cancel_requested) return finish('canceled');
      const stop = await paused();
      if (stop) return stop;
      let q = db
        .selectFrom('lead_contacts')
        .select('lead_id')
        .where('workspace_id', '=', ws)
        .orderBy('lead_id')
        .limit(pageSize);
      if (cursor.leadAfter) q = q.where('lead_id', '>', cursor.leadAfter);
      const page = (await q.execute()).map((r) => r.lead_id);
      if (page.length === 0) break;
      let events = 0;
      const failures: string[] = [];
      const queue = [...page];
      await Promise.all(
        Array.from({ length: options.concurrency ?? 4 }, async () => {
          for (let leadId = queue.shift(); leadId !== undefined; leadId = queue.shift()) {
            const r = await reconcileLead(deps, {
              workspaceId: ws,
              leadId,
              source: 'backfill',
              providers,
              range,
              checkedAt,
            });
            if (!r.ok) failures.push(r.code);
            else {
              events += r.value.eventsAppended;
              for (const c of r.value.checks) if (c.outcome.kind === 'failed') failures.push(c.outcome.code);
            }
          }
        }),
      );
      cursor = { phase: 'leads', leadAfter: page[page.length - 1] ?? null };
      if (!(await save({ cursor, leadsDone: page.length, eventsAppended: events, failures: failureCodes(failures) })))
        return { ok: false, code: 'BACKFILL_LEASE_LOST' };
    }
    cursor = nextScan(await scanners(), null);
    if (!(await save({ cursor, leadsDone: 0, eventsAppended: 0, failures: {} })))
      return { ok: false, code: 'BACKFILL_LEASE_LOST' };
  }

  while (cursor.phase !== 'done' && cursor.phase !== 'leads') {
    const phase = cursor.phase;
    const provider = phase.slice(0, -'-scan'.length) as Provider;
    const scanWindow = providers.includes(provider)
      ? (await workspaceProviders(deps, ws)).connections[provider]?.scanWindow
      : undefined;
    if (scanWindow) {
      const now = deps.clock().getTime();
      let lost = false;
      let saved = 0;
      const scan = await scanWindow(deps, {
        workspaceId: ws,
        source: 'backfill',
        minStartTime: range.from ?? new Date(now - 2 * YEAR).toISOString(),
        maxStartTime: range.to ?? new Date(now + YEAR).toISOString(),
        pageToken: cursor.pageToken ?? null,
        onPage: async ({ nextPageToken, eventsAppended }) => {
          const row = await save({
            cursor: { phase, pageToken: nextPageToken },
            leadsDone: 0,
            eventsAppended: eventsAppended - saved,
            failures: {},
          });
          saved = eventsAppended;
          lost = row === null;
          return lost || (row?.cancel_requested ?? false) || options.signal?.aborted === true;
        },
      });
      if (lost) return { ok: false, code: 'BACKFILL_LEASE_LOST' };
      if (!scan.ok) {
        if (
          !(await save({
            cursor,
            leadsDone: 0,
            eventsAppended: scan.eventsAppended - saved,
            failures: { [scan.code]: 1 },
          }))
        )
          return { ok: false, code: 'BACKFILL_LEASE_LOST' };
        return finish('failed', scan.code);
      }
      if (!scan.complete) {
        if (job.cancel_requested) return finish('canceled');
        return pause();
      }
    }
    cursor = nextScan(await scanners(), provider);
    if (!(await save({ cursor, leadsDone: 0, eventsAppended: 0, failures: {} })))
      return { ok: false, code: 'BACKFILL_LEASE_LOST' };
  }
  return finish(job.cancel_requested ? 'canceled' : 'completed');
}
