/**
 * Which leads of a workspace a tick checks, in order (issue 7): never checked first, then booked
 * leads whose meeting is near or just past (the reschedule / no-show window, checked more often),
 * then the oldest watermark. A lead is due when its last attempt is older than the workspace's
 * reconcile interval (the near-meeting ones after a quarter of it, at most 15 minutes). The lead
 * list is the contact table (every lead the feed registered has a row; erased contacts drop out).
 *
 * Each tier is a query of its own on its own index, limited before they are put together, so a
 * tick reads about as many rows as it takes: near-meeting leads on the partial index of booked
 * leads by meeting end (`booking_state = 'booked'` inlined), the others on (workspace,
 * last_attempt_at) in due order. Never-checked leads are the contacts without a schedule row (an
 * anti-join in lead order that stops at the limit; with none left it passes the workspace's
 * contacts once, index only).
 *
 * With `labelSlaHours` (issue 18), due leads whose grade is `label_only` with a label older than
 * the SLA come before all others, oldest label first: read from the core projection's lead rows
 * (its partial index of label_only leads by label time), so a booked label is checked soon after
 * it arrives even when the checks are behind. That tier accepts projection lag (the SLA is hours);
 * without the projection's table (ingest alone) it is left out.
 */
import { sql } from 'kysely';
import type { ReconcileDb } from '../reconcile/reconcile-tables';

export interface DueLeadsQuery {
  readonly workspaceId: string;
  readonly now: Date;
  readonly intervalMinutes: number;
  readonly limit: number;
  /** The workspace's label verification SLA: due label_only leads past it come first. */
  readonly labelSlaHours?: number;
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

/** The three tiers' rows (lead_id, tier, last_attempt_at), each limited to `limit` when given. */
function tiers(q: Omit<DueLeadsQuery, 'limit'>, limit: number | null) {
  const b = bounds(q);
  const ws = q.workspaceId;
  const lim = limit === null ? sql`` : sql`LIMIT ${limit}`;
  const near = sql`r.booking_state = 'booked' AND r.current_end_at BETWEEN ${b.nearFrom}::timestamptz AND ${b.nearTo}::timestamptz`;
  // `nearDue` is never before `due`: a near lead that is due at all is due as a near one (tier 1).
  return sql`
    (SELECT c.lead_id, 0 AS tier, NULL::timestamptz AS at FROM lead_contacts c
      WHERE c.workspace_id = ${ws}
        AND NOT EXISTS (SELECT FROM reconcile_leads r WHERE r.workspace_id = c.workspace_id AND r.lead_id = c.lead_id)
      ORDER BY c.lead_id ${lim})
    UNION ALL
    (SELECT r.lead_id, 1, r.last_attempt_at FROM reconcile_leads r
      JOIN lead_contacts c ON c.workspace_id = r.workspace_id AND c.lead_id = r.lead_id
      WHERE r.workspace_id = ${ws} AND ${near} AND r.last_attempt_at < ${b.nearDue}::timestamptz
      ORDER BY r.last_attempt_at, r.lead_id ${lim})
    UNION ALL
    (SELECT r.lead_id, 2, r.last_attempt_at FROM reconcile_leads r
      JOIN lead_contacts c ON c.workspace_id = r.workspace_id AND c.lead_id = r.lead_id
      WHERE r.workspace_id = ${ws} AND r.last_attempt_at < ${b.due}::timestamptz AND NOT coalesce(${near}, false)
      ORDER BY r.last_attempt_at, r.lead_id ${lim})`;
}

const hasLeadRows = new WeakMap<object, boolean>();

/** Does the core projection's `lead_lifecycle` exist here (remembered once it does)? */
async function leadRowsExist(db: ReconcileDb): Promise<boolean> {
  if (hasLeadRows.get(db) === true) return true;
  const { rows } = await sql<{ ok: boolean }>`SELECT to_regclass('lead_lifecycle') IS NOT NULL AS ok`.execute(db);
  const ok = rows[0]?.ok === true;
  if (ok) hasLeadRows.set(db, true);
  return ok;
}

/** Due label_only leads whose label is older than the SLA, oldest label first (tier -1). */
function overdueLabels(q: DueLeadsQuery, slaHours: number) {
  const b = bounds(q);
  const labelBefore = new Date(q.now.getTime() - slaHours * 3_600_000);
  return sql`
    (SELECT l.lead_id, -1 AS tier, l.sentiment_at AS at FROM lead_lifecycle l
      JOIN lead_contacts c ON c.workspace_id = l.workspace_id AND c.lead_id = l.lead_id
      LEFT JOIN reconcile_leads r ON r.workspace_id = l.workspace_id AND r.lead_id = l.lead_id
      WHERE l.workspace_id = ${q.workspaceId} AND l.grade = 'label_only' AND l.sentiment_at < ${labelBefore}::timestamptz
        AND (r.lead_id IS NULL OR r.last_attempt_at < ${b.due}::timestamptz)
      ORDER BY l.sentiment_at, l.lead_id LIMIT ${q.limit})`;
}

export async function selectDueLeads(db: ReconcileDb, q: DueLeadsQuery): Promise<string[]> {
  if (q.labelSlaHours !== undefined && (await leadRowsExist(db))) {
    // An overdue label is also in a later tier: each lead once, at its first tier.
    const { rows } = await sql<{ lead_id: string }>`
      SELECT lead_id FROM (
        SELECT DISTINCT ON (lead_id) lead_id, tier, at FROM (${overdueLabels(q, q.labelSlaHours)} UNION ALL ${tiers(q, q.limit)}) u
        ORDER BY lead_id, tier) due
      ORDER BY tier, at NULLS FIRST, lead_id
      LIMIT ${q.limit}`.execute(db);
    return rows.map((r) => r.lead_id);
  }
  const { rows } = await sql<{ lead_id: string }>`
    SELECT lead_id FROM (${tiers(q, q.limit)}) due
    ORDER BY tier, at NULLS FIRST, lead_id
    LIMIT ${q.limit}`.execute(db);
  return rows.map((r) => r.lead_id);
}

export async function countDueLeads(db: ReconcileDb, q: Omit<DueLeadsQuery, 'limit'>): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM (${tiers(q, null)}) due`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
