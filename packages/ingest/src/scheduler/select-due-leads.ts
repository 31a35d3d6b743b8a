/**
 * Which leads of a workspace a tick checks, in order (issue 7): never checked first, then booked
 * leads whose meeting is near or just past (the reschedule / no-show window, checked more often),
 * then the oldest watermark. A lead is due when its last attempt is older than the workspace's
 * reconcile interval (the near-meeting ones after a quarter of it, at most 15 minutes). The lead
 * list is the contact table (every lead the feed registered has a row; erased contacts drop out).
 */
import { sql } from 'kysely';
import type { ReconcileDb } from '../reconcile/reconcile-tables';

export interface DueLeadsQuery {
  readonly workspaceId: string;
  readonly now: Date;
  readonly intervalMinutes: number;
  readonly limit: number;
}

/** Meeting window counted as "near or just past": 2 h after its end … 24 h before it. */
const NEAR_BEFORE_MS = 24 * 3_600_000;
const NEAR_AFTER_MS = 2 * 3_600_000;

function bounds(q: Omit<DueLeadsQuery, 'limit'>) {
  const now = q.now.getTime();
  const intervalMs = q.intervalMinutes * 60_000;
  return {
    due: new Date(now - intervalMs),
    nearDue: new Date(now - Math.min(intervalMs / 4, 15 * 60_000)),
    nearFrom: new Date(now - NEAR_AFTER_MS),
    nearTo: new Date(now + NEAR_BEFORE_MS),
  };
}

function dueWhere(q: Omit<DueLeadsQuery, 'limit'>) {
  const b = bounds(q);
  const near = sql`(r.booking_state = 'booked' AND r.current_end_at BETWEEN ${b.nearFrom} AND ${b.nearTo})`;
  return {
    near,
    where: sql`c.workspace_id = ${q.workspaceId} AND (r.lead_id IS NULL OR r.last_attempt_at < ${b.due} OR (${near} AND r.last_attempt_at < ${b.nearDue}))`,
  };
}

export async function selectDueLeads(db: ReconcileDb, q: DueLeadsQuery): Promise<string[]> {
  const { near, where } = dueWhere(q);
  const { rows } = await sql<{ lead_id: string }>`
    SELECT c.lead_id FROM lead_contacts c
    LEFT JOIN reconcile_leads r ON r.workspace_id = c.workspace_id AND r.lead_id = c.lead_id
    WHERE ${where}
    ORDER BY CASE WHEN r.lead_id IS NULL THEN 0 WHEN ${near} THEN 1 ELSE 2 END, r.last_attempt_at NULLS FIRST, c.lead_id
    LIMIT ${q.limit}`.execute(db);
  return rows.map((r) => r.lead_id);
}

export async function countDueLeads(db: ReconcileDb, q: Omit<DueLeadsQuery, 'limit'>): Promise<number> {
  const { where } = dueWhere(q);
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM lead_contacts c
    LEFT JOIN reconcile_leads r ON r.workspace_id = c.workspace_id AND r.lead_id = c.lead_id
    WHERE ${where}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
