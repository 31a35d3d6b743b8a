/**
 * Label precision analytics of one workspace over a time window [from, to): how often each
 * sentiment label was confirmed by a provider or contradicted by a successful check (the leads'
 * grades), how long the evidence took, reschedule-chain lengths, attendance. Every statement is
 * bounded by the workspace (the leading column of each table's key) and the window.
 *
 * - Groups: the leads whose label's `classifiedAt` falls in the window, grouped by the label, by
 *   the UTC day of `classifiedAt`, or by the source (webhook, poller, backfill…) of the first
 *   provider evidence at or after the label (`none` without one): the sentiment itself carries no
 *   source of its own.
 * - Time to evidence: from `classifiedAt` to the first appointment event of the lead (its history)
 *   whose provider update time (else observation time) is at or after it; the median over the
 *   group's confirmed leads.
 * - Chains: appointments linked by reschedules (`rescheduled_to`), one per chain head first observed
 *   in the window; a chain's length is its appointments plus the in-place reschedules (GHL moves a
 *   meeting keeping its id). `rescheduledAfterStart`: chains with a move recorded (by the provider's
 *   update time, else observation) at or after the start the meeting had until then.
 * - Attendance: leads whose current meeting ended in the window (and by `now`): completed (reported,
 *   or assumed: a scheduled meeting whose end has passed) and no-shows.
 */
import { sql, type Kysely } from 'kysely';
import type { ProjectionsDatabase } from './projections-database';

export const ANALYTICS_GROUP_BY = ['label', 'source', 'day'] as const;
export type AnalyticsGroupBy = (typeof ANALYTICS_GROUP_BY)[number];

export interface AnalyticsWindow {
  readonly workspaceId: string;
  readonly from: Date;
  readonly to: Date;
  readonly now: Date;
}

export interface LabelPrecisionGroup {
  readonly key: string;
  readonly leads: number;
  readonly confirmed: number;
  readonly contradicted: number;
  readonly pending: number;
  readonly labelOnly: number;
  readonly unverified: number;
  /** confirmed / (confirmed + contradicted); null when both are 0. */
  readonly precision: number | null;
  readonly medianHoursToEvidence: number | null;
}

export interface RescheduleChains {
  readonly count: number;
  /** Chains per length ("1" is a meeting never rescheduled). */
  readonly lengths: Readonly<Record<string, number>>;
  /** Chains moved at or after the start the meeting had then (a reschedule after the meeting began). */
  readonly rescheduledAfterStart: number;
}

export interface Attendance {
  readonly completed: number;
  readonly noShow: number;
  readonly completionRate: number | null;
  readonly noShowRate: number | null;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

export async function labelPrecisionGroups(
  db: Kysely<ProjectionsDatabase>,
  w: AnalyticsWindow,
  groupBy: AnalyticsGroupBy,
): Promise<LabelPrecisionGroup[]> {
  const key =
    groupBy === 'label'
      ? sql`l.sentiment_label`
      : groupBy === 'day'
        ? sql`to_char(l.sentiment_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
        : sql`coalesce(e.source, 'none')`;
  const { rows } = await sql<{
    key: string;
    leads: string;
    confirmed: string;
    contradicted: string;
    pending: string;
    label_only: string;
    unverified: string;
    median_hours: number | null;
  }>`
    SELECT ${key} AS key, count(*) AS leads,
      count(*) FILTER (WHERE l.grade = 'provider_confirmed') AS confirmed,
      count(*) FILTER (WHERE l.grade = 'contradicted') AS contradicted,
      count(*) FILTER (WHERE l.grade = 'provider_pending') AS pending,
      count(*) FILTER (WHERE l.grade = 'label_only') AS label_only,
      count(*) FILTER (WHERE l.grade = 'unverified') AS unverified,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.evidence_at - l.sentiment_at) / 3600)
        FILTER (WHERE l.grade = 'provider_confirmed' AND e.evidence_at IS NOT NULL) AS median_hours
    FROM lead_lifecycle l
    LEFT JOIN LATERAL (
      SELECT coalesce(h.provider_updated_at, h.observed_at) AS evidence_at, h.source
      FROM appointments a JOIN appointment_history h
        ON h.workspace_id = a.workspace_id AND h.provider = a.provider
          AND h.provider_appointment_id = a.provider_appointment_id
      WHERE a.workspace_id = ${w.workspaceId} AND a.lead_id = l.lead_id
        AND coalesce(h.provider_updated_at, h.observed_at) >= l.sentiment_at
      ORDER BY coalesce(h.provider_updated_at, h.observed_at), h.event_id
      LIMIT 1
    ) e ON true
    WHERE l.workspace_id = ${w.workspaceId} AND l.sentiment_label IS NOT NULL
      AND l.sentiment_at >= ${w.from}::timestamptz AND l.sentiment_at < ${w.to}::timestamptz
    GROUP BY 1 ORDER BY 1`.execute(db);
  return rows.map((r) => {
    const confirmed = Number(r.confirmed);
    const contradicted = Number(r.contradicted);
    return {
      key: r.key,
      leads: Number(r.leads),
      confirmed,
      contradicted,
      pending: Number(r.pending),
      labelOnly: Number(r.label_only),
      unverified: Number(r.unverified),
      precision: ratio(confirmed, confirmed + contradicted),
      medianHoursToEvidence: r.median_hours === null ? null : Number(r.median_hours),
    };
  });
}

/** Bound on a chain's links followed (a cycle in bad data must not run away). */
const MAX_CHAIN = 100;

export async function rescheduleChains(db: Kysely<ProjectionsDatabase>, w: AnalyticsWindow): Promise<RescheduleChains> {
  const { rows } = await sql<{ length: number; chains: string; after_start: string }>`
    WITH RECURSIVE chain AS (
      SELECT provider, provider_appointment_id AS head, provider_appointment_id AS id, rescheduled_to, reschedules,
        start_at, NULL::timestamptz AS previous_start, 1 AS depth
      FROM appointments
      WHERE workspace_id = ${w.workspaceId} AND rescheduled_from IS NULL
        AND first_observed_at >= ${w.from}::timestamptz AND first_observed_at < ${w.to}::timestamptz
      UNION ALL
      SELECT c.provider, c.head, a.provider_appointment_id, a.rescheduled_to, a.reschedules, a.start_at, c.start_at,
        c.depth + 1
      FROM chain c JOIN appointments a
        ON a.workspace_id = ${w.workspaceId} AND a.provider = c.provider AND a.provider_appointment_id = c.rescheduled_to
      WHERE c.depth < ${MAX_CHAIN}
    ), moves AS (
      -- each recorded time of a member: the start it had before (its own previous one, or the replaced
      -- appointment's for its first event), and when the provider moved it
      SELECT c.provider, c.head, h.start_at,
        coalesce(lag(h.start_at) OVER m, CASE WHEN row_number() OVER m = 1 THEN c.previous_start END) AS before_start,
        coalesce(h.provider_updated_at, h.observed_at) AS moved_at
      FROM chain c JOIN appointment_history h
        ON h.workspace_id = ${w.workspaceId} AND h.provider = c.provider AND h.provider_appointment_id = c.id
      WINDOW m AS (PARTITION BY c.provider, c.id ORDER BY h.observed_at, h.event_id)
    ), late AS (
      SELECT DISTINCT provider, head FROM moves
      WHERE before_start IS NOT NULL AND start_at <> before_start AND moved_at >= before_start
    )
    SELECT x.length::int AS length, count(*) AS chains, count(l.head) AS after_start FROM (
      SELECT provider, head,
        count(*) + sum(CASE WHEN rescheduled_to IS NULL THEN reschedules ELSE greatest(reschedules - 1, 0) END) AS length
      FROM chain GROUP BY provider, head
    ) x LEFT JOIN late l ON l.provider = x.provider AND l.head = x.head
    GROUP BY 1 ORDER BY 1`.execute(db);
  const lengths: Record<string, number> = {};
  let count = 0;
  let rescheduledAfterStart = 0;
  for (const r of rows) {
    lengths[String(r.length)] = Number(r.chains);
    count += Number(r.chains);
    rescheduledAfterStart += Number(r.after_start);
  }
  return { count, lengths, rescheduledAfterStart };
}

export async function attendance(db: Kysely<ProjectionsDatabase>, w: AnalyticsWindow): Promise<Attendance> {
  const { rows } = await sql<{ completed: string; no_show: string }>`
    SELECT
      count(*) FILTER (WHERE booking_state = 'completed'
        OR (booking_state = 'booked' AND current_status = 'scheduled')) AS completed,
      count(*) FILTER (WHERE booking_state = 'no_show') AS no_show
    FROM lead_lifecycle
    WHERE workspace_id = ${w.workspaceId}
      AND current_end_at >= ${w.from}::timestamptz AND current_end_at < ${w.to}::timestamptz
      AND current_end_at <= ${w.now}::timestamptz`.execute(db);
  const completed = Number(rows[0]?.completed ?? 0);
  const noShow = Number(rows[0]?.no_show ?? 0);
  return {
    completed,
    noShow,
    completionRate: ratio(completed, completed + noShow),
    noShowRate: ratio(noShow, completed + noShow),
  };
}
