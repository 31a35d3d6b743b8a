/**
 * Provider credentials per workspace. Secrets (access tokens, signing keys) are sealed with the
 * secret box; the rest (organization URI, location id, base URL, public verification keys) is
 * plain configuration that GET may show.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { WorkspacesDatabase } from './database';
import type { SecretBox } from './secret-box';

export const CALENDLY_API_BASE_URL = 'https://api.calendly.com';
export const GHL_API_BASE_URL = 'https://services.leadconnectorhq.com';

const secretString = z.string().min(1).max(4096);
const baseUrl = z.url({ protocol: /^https?$/ }).max(500);
const pem = z.string().min(1).max(8192).regex(/-----BEGIN PUBLIC KEY-----/, 'PEM_PUBLIC_KEY_EXPECTED');

export const CalendlyCredentialsInput = z.strictObject({
  accessToken: secretString,
  organizationUri: z.string().min(1).max(500),
  webhookSigningKey: secretString,
  apiBaseUrl: baseUrl.optional(),
});
export type CalendlyCredentialsInput = z.infer<typeof CalendlyCredentialsInput>;

/** Public keys GHL signs webhooks with; unset fields fall back to GHL's published keys. */
export const GhlWebhookVerification = z.strictObject({
  ed25519PublicKey: pem.optional(),
  rsaPublicKey: pem.optional(),
});
export type GhlWebhookVerification = z.infer<typeof GhlWebhookVerification>;

export const GhlCredentialsInput = z.strictObject({
  accessToken: secretString,
  locationId: z.string().min(1).max(100),
  apiBaseUrl: baseUrl.optional(),
  webhookVerification: GhlWebhookVerification.optional(),
});
export type GhlCredentialsInput = z.infer<typeof GhlCredentialsInput>;

export interface CalendlyCredentials {
  readonly accessToken: string;
  readonly organizationUri: string;
  readonly webhookSigningKey: string;
  readonly apiBaseUrl: string;
}

export interface GhlCredentials {
  readonly accessToken: string;
  readonly locationId: string;
  readonly apiBaseUrl: string;
  readonly webhookVerification: GhlWebhookVerification;
}

/** What GET shows: configuration without any secret. */
export interface ProviderConfigView {
  readonly provider: 'calendly' | 'ghl';
  readonly config: Record<string, unknown>;
  readonly updatedAt: string;
}

const aad = (workspaceId: string, provider: string) => `provider-credentials:${workspaceId}:${provider}`;

async function upsert(
  db: Kysely<WorkspacesDatabase>,
  row: { workspaceId: string; provider: 'calendly' | 'ghl'; publicConfig: Record<string, unknown>; sealed: string; now: Date },
): Promise<ProviderConfigView> {
  const values = {
    workspace_id: row.workspaceId,
    provider: row.provider,
    public_config: JSON.stringify(row.publicConfig),
    sealed_secrets: row.sealed,
    updated_at: row.now,
  };
  await db
    .insertInto('provider_credentials')
    .values(values)
    .onConflict((oc) => oc.columns(['workspace_id', 'provider']).doUpdateSet({ public_config: values.public_config, sealed_secrets: values.sealed_secrets, updated_at: values.updated_at }))
    .execute();
  return { provider: row.provider, config: row.publicConfig, updatedAt: row.now.toISOString() };
}

export async function putCalendlyCredentials(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  input: { workspaceId: string; credentials: CalendlyCredentialsInput; now: Date },
): Promise<ProviderConfigView> {
  const c = input.credentials;
  const publicConfig = { organizationUri: c.organizationUri, apiBaseUrl: c.apiBaseUrl ?? CALENDLY_API_BASE_URL };
  const sealed = box.seal(JSON.stringify({ accessToken: c.accessToken, webhookSigningKey: c.webhookSigningKey }), aad(input.workspaceId, 'calendly'));
  return upsert(db, { workspaceId: input.workspaceId, provider: 'calendly', publicConfig, sealed, now: input.now });
}

export async function putGhlCredentials(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  input: { workspaceId: string; credentials: GhlCredentialsInput; now: Date },
): Promise<ProviderConfigView> {
  const c = input.credentials;
  const publicConfig = { locationId: c.locationId, apiBaseUrl: c.apiBaseUrl ?? GHL_API_BASE_URL, webhookVerification: c.webhookVerification ?? {} };
  const sealed = box.seal(JSON.stringify({ accessToken: c.accessToken }), aad(input.workspaceId, 'ghl'));
  return upsert(db, { workspaceId: input.workspaceId, provider: 'ghl', publicConfig, sealed, now: input.now });
}

export async function getProviderConfig(
  db: Kysely<WorkspacesDatabase>,
  input: { workspaceId: string; provider: 'calendly' | 'ghl' },
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

export type CredentialsResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: 'PROVIDER_NOT_CONFIGURED' | 'SECRET_UNREADABLE' };

async function loadSecrets(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  workspaceId: string,
  provider: 'calendly' | 'ghl',
): Promise<CredentialsResult<{ publicConfig: Record<string, unknown>; secrets: Record<string, unknown> }>> {
  const row = await db
    .selectFrom('provider_credentials')
    .select(['public_config', 'sealed_secrets'])
    .where('workspace_id', '=', workspaceId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  if (row === undefined) return { ok: false, code: 'PROVIDER_NOT_CONFIGURED' };
  const opened = box.open(row.sealed_secrets, aad(workspaceId, provider));
  if (!opened.ok) return { ok: false, code: 'SECRET_UNREADABLE' };
  return { ok: true, value: { publicConfig: row.public_config, secrets: JSON.parse(opened.value) as Record<string, unknown> } };
}

/** Decrypted Calendly credentials for ingest and pollers. Never log or return them over HTTP. */
export async function getCalendlyCredentials(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  workspaceId: string,
): Promise<CredentialsResult<CalendlyCredentials>> {
  const loaded = await loadSecrets(db, box, workspaceId, 'calendly');
  if (!loaded.ok) return loaded;
  const { publicConfig: p, secrets: s } = loaded.value;
  return {
    ok: true,
    value: {
      accessToken: String(s['accessToken']),
      webhookSigningKey: String(s['webhookSigningKey']),
      organizationUri: String(p['organizationUri']),
      apiBaseUrl: String(p['apiBaseUrl'] ?? CALENDLY_API_BASE_URL),
    },
  };
}

/** Decrypted GHL credentials for ingest and pollers. Never log or return them over HTTP. */
export async function getGhlCredentials(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  workspaceId: string,
): Promise<CredentialsResult<GhlCredentials>> {
  const loaded = await loadSecrets(db, box, workspaceId, 'ghl');
  if (!loaded.ok) return loaded;
  const { publicConfig: p, secrets: s } = loaded.value;
  const verification = GhlWebhookVerification.safeParse(p['webhookVerification'] ?? {});
  return {
    ok: true,
    value: {
      accessToken: String(s['accessToken']),
      locationId: String(p['locationId']),
      apiBaseUrl: String(p['apiBaseUrl'] ?? GHL_API_BASE_URL),
      webhookVerification: verification.success ? verification.data : {},
    },
  };
}
