/**
 * Workspace stats from the maintained counters, adjusted for the clock at read time: booked leads
 * whose meeting has ended count as completed. One named statement: the counters, plus a count
 * over the partial index of scheduled booked meetings (its predicate inlined, so the generic plan
 * uses it) up to `now`; the latest check is one lookup on (workspace, checked_at).
 */
import { BOOKING_STATES, MISMATCH_KINDS } from '@recon/domain';
import { sql, type Kysely } from 'kysely';
import { PREPARED } from './named-statements';
import type { ProjectionsDatabase } from './projections-database';

export interface WorkspaceStats {
  readonly leadsByState: Readonly<Record<string, number>>;
  readonly openMismatchesByKind: Readonly<Record<string, number>>;
  readonly openTasks: number;
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
      AND current_end_at <= ${now}::timestamptz`.execute(db);
  const metric = (name: string) => Number(rows.find((r) => r.metric === name)?.value ?? 0);
  const assumed = metric('');
  const leadsByState: Record<string, number> = {};
  for (const s of BOOKING_STATES) leadsByState[s] = metric(`state:${s}`);
  leadsByState['booked'] = (leadsByState['booked'] ?? 0) - assumed;
  leadsByState['completed'] = (leadsByState['completed'] ?? 0) + assumed;
  const openMismatchesByKind: Record<string, number> = {};
  for (const k of MISMATCH_KINDS) openMismatchesByKind[k] = metric(`mismatch:${k}`);
  return {
    leadsByState,
    openMismatchesByKind,
    openTasks: metric('tasks_open'),
    unmatchedBookings: metric('unmatched_bookings'),
    unknownLeads: metric('state:unknown'),
  };
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
