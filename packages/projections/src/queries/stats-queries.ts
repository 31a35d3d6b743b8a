/**
 * Workspace stats from the maintained counters, adjusted for the clock at read time: booked leads
 * whose meeting has ended count as completed (one index range count).
 */
import { BOOKING_STATES, MISMATCH_KINDS } from '@recon/domain';
import { sql, type Kysely } from 'kysely';
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
  const [rows, ended] = await Promise.all([
    db.selectFrom('workspace_stats').select(['metric', 'value']).where('workspace_id', '=', workspaceId).execute(),
    db
      .selectFrom('lead_lifecycle')
      .select(sql<string>`count(*)`.as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('booking_state', '=', 'booked')
      .where('current_status', '=', 'scheduled')
      .where('current_end_at', '<=', now)
      .executeTakeFirst(),
  ]);
  const metric = (name: string) => Number(rows.find((r) => r.metric === name)?.value ?? 0);
  const assumed = Number(ended?.n ?? 0);
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
  const row = await db
    .selectFrom('lead_provider_checks')
    .select(sql<Date | null>`max(checked_at)`.as('at'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row?.at ? new Date(row.at).toISOString() : null;
}
