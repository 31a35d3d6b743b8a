/**
 * Workspace stats from the maintained counters, adjusted for the clock at read time: booked leads
 * whose meeting has ended count as completed. The counters hold the clock-free states; what is
 * still booked as of `now` is counted directly: the scheduled meetings that end after `now` (a
 * range of the booking horizon on a partial index) plus the booked leads without a scheduled end
 * (a partial index, normally empty). The ended ones, which pile up over the workspace's life, are
 * the difference: never scanned. One named statement, every predicate that selects a partial
 * index inlined so the generic plan keeps it.
 */
import { BOOKING_STATES, FOLLOW_UP_TASK_KINDS, MISMATCH_KINDS, TASK_SEVERITIES } from '@recon/domain';
import { sql, type Kysely } from 'kysely';
import { PREPARED } from './named-statements';
import type { ProjectionsDatabase } from './projections-database';

export interface WorkspaceStats {
  readonly leadsByState: Readonly<Record<string, number>>;
  readonly openMismatchesByKind: Readonly<Record<string, number>>;
  readonly openTasks: number;
  readonly openTasksBySeverity: Readonly<Record<string, number>>;
  readonly openTasksByKind: Readonly<Record<string, number>>;
  readonly unmatchedBookings: number;
  readonly unknownLeads: number;
}

export async function getStats(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  now: Date,
): Promise<WorkspaceStats> {
  const { rows } = await sql<{ metric: string; value: string }>`${sql.raw(PREPARED)}
    SELECT metric, value FROM workspace_stats WHERE workspace_id = ${workspaceId}
    UNION ALL
    SELECT '', count(*) FROM lead_lifecycle
    WHERE workspace_id = ${workspaceId} AND booking_state = 'booked' AND current_status = 'scheduled'
      AND current_end_at > ${now}::timestamptz
    UNION ALL
    SELECT '', count(*) FROM lead_lifecycle
    WHERE workspace_id = ${workspaceId} AND booking_state = 'booked'
      AND (current_status IS DISTINCT FROM 'scheduled' OR current_end_at IS NULL)`.execute(db);
  const metric = (name: string) => Number(rows.find((r) => r.metric === name)?.value ?? 0);
  const stillBooked = rows.filter((r) => r.metric === '').reduce((n, r) => n + Number(r.value), 0);
  const assumed = Math.max(0, metric('state:booked') - stillBooked);
  const leadsByState: Record<string, number> = {};
  for (const s of BOOKING_STATES) leadsByState[s] = metric(`state:${s}`);
  leadsByState['booked'] = Math.min(leadsByState['booked'] ?? 0, stillBooked);
  leadsByState['completed'] = (leadsByState['completed'] ?? 0) + assumed;
  const openMismatchesByKind: Record<string, number> = {};
  for (const k of MISMATCH_KINDS) openMismatchesByKind[k] = metric(`mismatch:${k}`);
  const openTasksBySeverity = openTasksBy('severity', TASK_SEVERITIES, rows);
  const openTasksByKind = openTasksBy('kind', FOLLOW_UP_TASK_KINDS, rows);
  return {
    leadsByState,
    openMismatchesByKind,
    openTasks: metric('tasks_open'),
    openTasksBySeverity,
    openTasksByKind,
    unmatchedBookings: metric('unmatched_bookings'),
    unknownLeads: metric('state:unknown'),
  };
}

/** Open tasks per severity or kind from the `tasks_open:<dimension>:<value>` counters (known values at 0). */
function openTasksBy(
  dimension: 'severity' | 'kind',
  known: readonly string[],
  rows: readonly { metric: string; value: string }[],
): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(known.map((k) => [k, 0]));
  const prefix = `tasks_open:${dimension}:`;
  for (const r of rows) if (r.metric.startsWith(prefix)) out[r.metric.slice(prefix.length)] = Number(r.value);
  return out;
}

/** Latest provider check of any lead in the workspace (any provider), or null: one index lookup. */
export async function lastProviderCheckAt(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
): Promise<string | null> {
  const { rows } = await sql<{ at: Date | null }>`${sql.raw(PREPARED)}
    SELECT max(checked_at) AS at FROM lead_provider_checks WHERE workspace_id = ${workspaceId}`.execute(db);
  const at = rows[0]?.at;
  return at ? new Date(at).toISOString() : null;
}
