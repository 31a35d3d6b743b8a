/**
 * Backfill jobs in PostgreSQL (`backfill_jobs`): what to backfill, where it stands (the cursor is
 * saved after every page), counters for progress, and a lease so one runner works a job at a
 * time while a killed runner's job can be taken over once its lease expires.
 */
import { randomUUID } from 'node:crypto';
import type { Provider } from '@recon/domain';
import { sql } from 'kysely';
import type { BackfillJobRow, ReconcileDb } from '../reconcile/reconcile-tables';

export type BackfillStatus = 'queued' | 'running' | 'completed' | 'canceled' | 'failed';
/** A provider a backfill may ask: any provider of the registry. */
export type BackfillProvider = Provider;

export interface BackfillCursor {
  /** Leads first, then each provider's window scan (providers that have one, registry order). */
  readonly phase: 'leads' | `${Provider}-scan` | 'done';
  /** Last lead id finished (leads are walked in lead-id order). */
  readonly leadAfter?: string | null;
  /** Next page to read in the current window scan. */
  readonly pageToken?: string | null;
}

export async function createBackfillJob(
  db: ReconcileDb,
  input: {
    workspaceId: string;
    providers: readonly BackfillProvider[];
    from: string | null;
    to: string | null;
    now: Date;
  },
): Promise<BackfillJobRow> {
  return db
    .insertInto('backfill_jobs')
    .values({
      id: `bf_${randomUUID().replace(/-/g, '')}`,
      workspace_id: input.workspaceId,
      status: 'queued',
      providers: JSON.stringify(input.providers),
      range_from: input.from,
      range_to: input.to,
      cursor: JSON.stringify({ phase: 'leads', leadAfter: null } satisfies BackfillCursor),
      leads_total: 0,
      leads_done: 0,
      events_appended: 0,
      failures: '{}',
      holder: null,
      lease_expires_at: null,
      created_at: input.now,
      started_at: null,
      updated_at: input.now,
      finished_at: null,
      cancel_requested: false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getBackfillJob(db: ReconcileDb, workspaceId: string, id: string): Promise<BackfillJobRow | null> {
  const row = await db
    .selectFrom('backfill_jobs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

/** Takes the job for `holder` if it is unfinished and not held by a live runner. */
export async function claimBackfillJob(
  db: ReconcileDb,
  id: string,
  holder: string,
  ttlMs: number,
): Promise<BackfillJobRow | null> {
  const row = await db
    .updateTable('backfill_jobs')
    .set({
      holder,
      lease_expires_at: sql`now() + make_interval(secs => ${ttlMs / 1000})`,
      status: 'running',
      started_at: sql`coalesce(started_at, now())`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .where((eb) =>
      eb.or([eb('holder', 'is', null), eb('holder', '=', holder), eb('lease_expires_at', '<', sql<Date>`now()`)]),
    )
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export interface ProgressDelta {
  readonly cursor: BackfillCursor;
  readonly leadsDone: number;
  readonly eventsAppended: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly leadsTotal?: number;
}

/** The columns of a job that stops: its outcome, and no holder or lease left. */
function finishedColumns(status: Exclude<BackfillStatus, 'queued' | 'running'>, errorCode: string | null) {
  return {
    status,
    error_code: errorCode,
    holder: null,
    lease_expires_at: null,
    finished_at: sql<Date>`now()`,
    updated_at: sql<Date>`now()`,
  };
}
/** Saves a page's progress and renews the lease; returns the row (null when the lease was lost). */
export async function saveBackfillProgress(
  db: ReconcileDb,
  id: string,
  holder: string,
  ttlMs: number,
  delta: ProgressDelta,
): Promise<BackfillJobRow | null> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('backfill_jobs')
      .select('failures')
      .where('id', '=', id)
      .where('holder', '=', holder)
      .forUpdate()
      .executeTakeFirst();
    if (!current) return null;
    const failures: Record<string, number> = { ...current.failures };
    for (const [code, n] of Object.entries(delta.failures)) failures[code] = (failures[code] ?? 0) + n;
    const row = await trx
      .updateTable('backfill_jobs')
      .set({
        cursor: JSON.stringify(delta.cursor),
        leads_done: sql`leads_done + ${delta.leadsDone}`,
        events_appended: sql`events_appended + ${delta.eventsAppended}`,
        failures: JSON.stringify(failures),
        ...(delta.leadsTotal !== undefined ? { leads_total: delta.leadsTotal } : {}),
        lease_expires_at: sql`now() + make_interval(secs => ${ttlMs / 1000})`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('holder', '=', holder)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  });
}

export async function finishBackfillJob(
  db: ReconcileDb,
  id: string,
  holder: string,
  status: Exclude<BackfillStatus, 'queued' | 'running'>,
  errorCode: string | null = null,
): Promise<void> {
  await db
    .updateTable('backfill_jobs')
    .set(finishedColumns(status, errorCode))
    .where('id', '=', id)
    .where('holder', '=', holder)
    .execute();
}

/**
 * Marks a job failed after its runner threw (a bug, the database down): the job shows `failed` with
 * `errorCode` instead of staying `running` until its lease expires. Only while `holder` holds it
 * (or nobody does), so a runner that took over is not overruled.
 */
export async function failBackfillJob(db: ReconcileDb, id: string, holder: string, errorCode: string): Promise<void> {
  await db
    .updateTable('backfill_jobs')
    .set(finishedColumns('failed', errorCode))
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .where((eb) => eb.or([eb('holder', '=', holder), eb('holder', 'is', null)]))
    .execute();
}

/** Asks a job to stop; a queued job (or one whose runner died) is canceled at once. */
export async function cancelBackfillJob(
  db: ReconcileDb,
  workspaceId: string,
  id: string,
): Promise<BackfillJobRow | null> {
  const row = await db
    .updateTable('backfill_jobs')
    .set({
      cancel_requested: true,
      status: sql`CASE WHEN status = 'queued' OR (status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < now())) THEN 'canceled' ELSE status END`,
      finished_at: sql`CASE WHEN status = 'queued' OR (status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < now())) THEN now() ELSE finished_at END`,
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Unfinished jobs no live runner holds (to resume after a crash or a serverless timeout). */
export async function orphanedBackfillJobs(db: ReconcileDb): Promise<BackfillJobRow[]> {
  return db
    .selectFrom('backfill_jobs')
    .selectAll()
    .where('status', 'in', ['queued', 'running'])
    .where((eb) => eb.or([eb('holder', 'is', null), eb('lease_expires_at', '<', sql<Date>`now()`)]))
    .orderBy('created_at')
    .execute();
}
