/** Automation gates: what a follow-up engine asks before enrolling or sending. */
import type { Kysely } from 'kysely';
import { effectiveGate, type Gate } from './effective-state';
import type { ProjectionsDatabase } from './projections-database';

export async function getGate(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  leadId: string,
  now: Date,
): Promise<Gate | null> {
  const row = await db
    .selectFrom('automation_gates')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', '=', leadId)
    .executeTakeFirst();
  return row === undefined ? null : effectiveGate(row, now);
}

/** Gates of many leads at once (one query); leads the projection never saw are absent from the map. */
export async function getGates(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  leadIds: readonly string[],
  now: Date,
): Promise<Map<string, Gate>> {
  if (leadIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('automation_gates')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', 'in', [...new Set(leadIds)])
    .execute();
  return new Map(rows.map((r) => [r.lead_id, effectiveGate(r, now)]));
}
