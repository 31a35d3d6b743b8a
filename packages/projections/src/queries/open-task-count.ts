/** How many review tasks of a workspace are open, optionally of one severity. */
import type { Kysely } from 'kysely';
import type { ProjectionsDatabase } from './projections-database';

export async function countOpenTasks(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  options: { readonly severity?: string } = {},
): Promise<number> {
  let query = db
    .selectFrom('follow_up_tasks')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'open');
  if (options.severity !== undefined) query = query.where('severity', '=', options.severity);
  const row = await query.executeTakeFirst();
  return Number(row?.n ?? 0);
}
