/**
 * The daily series of a workspace (`GET …/stats/daily`), UTC days `from`..`to` inclusive, oldest
 * first: leads per state at each day's end — the running sum of `lead_state_days` (the sum before
 * `from` as the start; see core/lead-state-days.ts for what a day counts), clamped at 0 — and the
 * mismatches opened (`since`) and closed (`resolved_at`) on each day, from the mismatch rows' own
 * times. Three index range reads whatever the workspace's age.
 */
import { BOOKING_STATES } from '@recon/domain';
import { sql, type Kysely } from 'kysely';
import type { ProjectionsDatabase } from './projections-database';

export interface DailyStatsDay {
  readonly day: string;
  readonly leadsByState: Readonly<Record<string, number>>;
  readonly mismatchesOpened: number;
  readonly mismatchesClosed: number;
}

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` days from..to inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

export async function getDailyStats(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  from: string,
  to: string,
): Promise<DailyStatsDay[]> {
  const { rows } = await sql<{ kind: string; day: string | null; state: string; n: string }>`
    SELECT 'start' AS kind, NULL AS day, state, sum(value)::text AS n FROM lead_state_days
    WHERE workspace_id = ${workspaceId} AND day < ${from}::date GROUP BY state
    UNION ALL
    SELECT 'day', to_char(day, 'YYYY-MM-DD'), state, sum(value)::text FROM lead_state_days
    WHERE workspace_id = ${workspaceId} AND day BETWEEN ${from}::date AND ${to}::date GROUP BY day, state
    UNION ALL
    SELECT 'opened', to_char(since AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d, '', count(*)::text FROM mismatches
    WHERE workspace_id = ${workspaceId} AND since >= ${from}::date AT TIME ZONE 'UTC'
      AND since < (${to}::date + 1) AT TIME ZONE 'UTC' GROUP BY d
    UNION ALL
    SELECT 'closed', to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d, '', count(*)::text FROM mismatches
    WHERE workspace_id = ${workspaceId} AND resolved_at >= ${from}::date AT TIME ZONE 'UTC'
      AND resolved_at < (${to}::date + 1) AT TIME ZONE 'UTC' GROUP BY d`.execute(db);
  const running = new Map<string, number>(BOOKING_STATES.map((s) => [s, 0]));
  const byDay = new Map<string, { states: Map<string, number>; opened: number; closed: number }>();
  const dayOf = (day: string) => {
    let d = byDay.get(day);
    if (d === undefined) byDay.set(day, (d = { states: new Map(), opened: 0, closed: 0 }));
    return d;
  };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.kind === 'start') running.set(r.state, (running.get(r.state) ?? 0) + n);
    else if (r.day === null) continue;
    else if (r.kind === 'day') dayOf(r.day).states.set(r.state, n);
    else if (r.kind === 'opened') dayOf(r.day).opened = n;
    else dayOf(r.day).closed = n;
  }
  return daysBetween(from, to).map((day) => {
    const d = byDay.get(day);
    for (const [state, n] of d?.states ?? []) running.set(state, (running.get(state) ?? 0) + n);
    const leadsByState: Record<string, number> = {};
    for (const s of BOOKING_STATES) leadsByState[s] = Math.max(0, running.get(s) ?? 0);
    return { day, leadsByState, mismatchesOpened: d?.opened ?? 0, mismatchesClosed: d?.closed ?? 0 };
  });
}
