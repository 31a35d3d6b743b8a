/**
 * Provider credentials per (workspace, provider): a public configuration (GET may show it) and a
 * secret (tokens, signing keys) sealed with the secret box, bound to the workspace and provider.
 * This package stores any provider the same way; what a provider's configuration holds, its
 * validation and its defaults live with the provider in @recon/ingest (`providers/<name>/`).
 */
import type { Provider } from '@recon/domain';
import type { Kysely } from 'kysely';
import type { WorkspacesDatabase } from './database';
import type { SecretBox } from './secret-box';
import type { ResealOutcome } from './reseal-outcome';

/** What GET shows: configuration without any secret. */
export interface ProviderConfigView {
  readonly provider: Provider;
  readonly config: Record<string, unknown>;
  readonly updatedAt: string;
}

/** A provider's stored credentials with the secret opened. Never log or return the secret over HTTP. */
export interface ProviderSecrets {
  readonly publicConfig: Record<string, unknown>;
  readonly secret: Record<string, unknown>;
}

export type CredentialsResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: 'PROVIDER_NOT_CONFIGURED' | 'SECRET_UNREADABLE' };

const aad = (workspaceId: string, provider: string) => `provider-credentials:${workspaceId}:${provider}`;

/** Stores (or replaces) a provider's configuration and sealed secret for a workspace. */
export async function putProviderCredentials(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  input: {
    workspaceId: string;
    provider: Provider;
    publicConfig: Record<string, unknown>;
    secret: Record<string, unknown>;
    now: Date;
  },
): Promise<ProviderConfigView> {
  const values = {
    workspace_id: input.workspaceId,
    provider: input.provider,
    public_config: JSON.stringify(input.publicConfig),
    sealed_secrets: box.seal(JSON.stringify(input.secret), aad(input.workspaceId, input.provider)),
    updated_at: input.now,
  };
  await db
    .insertInto('provider_credentials')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'provider']).doUpdateSet({
        public_config: values.public_config,
        sealed_secrets: values.sealed_secrets,
        updated_at: values.updated_at,
      }),
    )
    .execute();
  return { provider: input.provider, config: input.publicConfig, updatedAt: input.now.toISOString() };
}

export async function getProviderConfig(
  db: Kysely<WorkspacesDatabase>,
  input: { workspaceId: string; provider: Provider },
): Promise<ProviderConfigView | null> {
  const row = await db
    .selectFrom('provider_credentials')
    .select(['public_config', 'updated_at'])
    .where('workspace_id', '=', input.workspaceId)
    .where('provider', '=', input.provider)
    .executeTakeFirst();
  if (row === undefined) return null;
  return { provider: input.provider, config: row.public_config, updatedAt: new Date(row.updated_at).toISOString() };
}

/** The provider's public configuration and opened secret, for ingest and pollers. */
export async function getProviderCredentials(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  workspaceId: string,
  provider: Provider,
): Promise<CredentialsResult<ProviderSecrets>> {
  const row = await db
    .selectFrom('provider_credentials')
    .select(['public_config', 'sealed_secrets'])
    .where('workspace_id', '=', workspaceId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  if (row === undefined) return { ok: false, code: 'PROVIDER_NOT_CONFIGURED' };
  const opened = box.open(row.sealed_secrets, aad(workspaceId, provider));
  if (!opened.ok) return { ok: false, code: 'SECRET_UNREADABLE' };
  return {
    ok: true,
    value: { publicConfig: row.public_config, secret: JSON.parse(opened.value) as Record<string, unknown> },
  };
}

/**
 * Re-seals one provider's secret under the current key if the previous key sealed it, in its own
 * transaction with the row locked (a concurrent `PUT` of the credentials waits, then wins or is
 * re-read). Idempotent: a secret already under the current key is left as it is.
 */
export async function resealProviderCredentials(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  workspaceId: string,
  provider: Provider,
): Promise<ResealOutcome> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('provider_credentials')
      .select('sealed_secrets')
      .where('workspace_id', '=', workspaceId)
      .where('provider', '=', provider)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return 'gone';
    const opened = box.open(row.sealed_secrets, aad(workspaceId, provider));
    if (!opened.ok) return 'unreadable';
    if (opened.sealedUnder === 'current') return 'current';
    await trx
      .updateTable('provider_credentials')
      .set({ sealed_secrets: box.seal(opened.value, aad(workspaceId, provider)) })
      .where('workspace_id', '=', workspaceId)
      .where('provider', '=', provider)
      .execute();
    return 'resealed';
  });
}
