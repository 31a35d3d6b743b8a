/** Whether the lead lifecycle read model has a row for this lead (it was ever fed or observed). */
import type { Kysely } from 'kysely';
import type { ProjectionsDatabase } from './projections-database';

export async function isLeadKnown(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  leadId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('lead_lifecycle')
    .select('lead_id')
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', '=', leadId)
    .executeTakeFirst();
  return row !== undefined;
}
