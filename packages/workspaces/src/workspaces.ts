/** Workspaces: the tenant boundary. Everything else is keyed by a workspace id. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { WorkspaceRow, WorkspacesDatabase } from './database';

export interface Workspace {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

export function toWorkspace(row: WorkspaceRow): Workspace {
  return { id: row.id, name: row.name, createdAt: new Date(row.created_at).toISOString() };
}

/** Creates a workspace with a fresh random id (`ws_…`). */
export async function createWorkspace(
  db: Kysely<WorkspacesDatabase>,
  input: { name: string; now: Date },
): Promise<Workspace> {
  const row = await db
    .insertInto('workspaces')
    .values({ id: `ws_${randomBytes(10).toString('hex')}`, name: input.name, created_at: input.now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toWorkspace(row);
}

export async function getWorkspace(db: Kysely<WorkspacesDatabase>, id: string): Promise<Workspace | null> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : toWorkspace(row);
}

export async function listWorkspaceIds(db: Kysely<WorkspacesDatabase>): Promise<string[]> {
  const rows = await db.selectFrom('workspaces').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}
