/** Every workspace with its name, oldest first (for admin listings; `listWorkspaceIds` has ids only). */
import type { Kysely } from 'kysely';
import type { WorkspacesDatabase } from './database';
import { toWorkspace, type Workspace } from './workspaces';

export async function listWorkspaces(db: Kysely<WorkspacesDatabase>): Promise<Workspace[]> {
  const rows = await db.selectFrom('workspaces').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toWorkspace);
}
