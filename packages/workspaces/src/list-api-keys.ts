/**
 * Operator API keys as an admin sees them: id, workspace, label and lifecycle times. Never the
 * hash (nor the key, which is not stored): what is listed cannot be used to sign in.
 */
import type { Kysely } from 'kysely';
import type { ApiKeyRow, WorkspacesDatabase } from './database';

export interface ApiKeyInfo {
  readonly id: string;
  readonly workspaceId: string;
  readonly label: string;
  readonly createdAt: string;
  /** When it was revoked; null while it is active. */
  readonly revokedAt: string | null;
}

const COLUMNS = ['id', 'workspace_id', 'label', 'created_at', 'revoked_at'] as const;

function toApiKeyInfo(row: Pick<ApiKeyRow, (typeof COLUMNS)[number]>): ApiKeyInfo {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    label: row.label,
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
  };
}

/** A workspace's keys, active and revoked, oldest first. */
export async function listApiKeys(db: Kysely<WorkspacesDatabase>, workspaceId: string): Promise<ApiKeyInfo[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toApiKeyInfo);
}

/** One key by its id (any workspace), or null. */
export async function getApiKeyInfo(db: Kysely<WorkspacesDatabase>, id: string): Promise<ApiKeyInfo | null> {
  const row = await db.selectFrom('api_keys').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : toApiKeyInfo(row);
}
