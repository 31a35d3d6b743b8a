/**
 * Operator API keys: scoped to one workspace, shown once, stored as sha256 hashes (the key has
 * 256 bits of entropy, so a plain hash is enough; no slow KDF needed), revocable.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { WorkspacesDatabase } from './database';

export interface CreatedApiKey {
  readonly id: string;
  /** The secret itself: returned once, never stored. */
  readonly key: string;
}

export interface ApiKeyIdentity {
  readonly id: string;
  readonly workspaceId: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export async function createApiKey(
  db: Kysely<WorkspacesDatabase>,
  input: { workspaceId: string; label: string; now: Date },
): Promise<CreatedApiKey> {
  const id = `key_${randomBytes(8).toString('hex')}`;
  const key = `rk_${randomBytes(32).toString('base64url')}`;
  await db
    .insertInto('api_keys')
    .values({
      id,
      workspace_id: input.workspaceId,
      label: input.label,
      key_hash: hashApiKey(key),
      created_at: input.now,
      revoked_at: null,
    })
    .execute();
  return { id, key };
}

export type RevokeApiKeyResult = { readonly ok: true } | { readonly ok: false; readonly code: 'API_KEY_NOT_FOUND' };

/** Revokes a key of this workspace; revoking twice is fine (the first revocation time stays). */
export async function revokeApiKey(
  db: Kysely<WorkspacesDatabase>,
  input: { workspaceId: string; id: string; now: Date },
): Promise<RevokeApiKeyResult> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'revoked_at'])
    .where('workspace_id', '=', input.workspaceId)
    .where('id', '=', input.id)
    .executeTakeFirst();
  if (row === undefined) return { ok: false, code: 'API_KEY_NOT_FOUND' };
  if (row.revoked_at === null) {
    await db.updateTable('api_keys').set({ revoked_at: input.now }).where('id', '=', input.id).execute();
  }
  return { ok: true };
}

/** The active key's identity, or null for an unknown or revoked key. */
export async function findApiKey(db: Kysely<WorkspacesDatabase>, key: string): Promise<ApiKeyIdentity | null> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'workspace_id'])
    .where('key_hash', '=', hashApiKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? null : { id: row.id, workspaceId: row.workspace_id };
}
