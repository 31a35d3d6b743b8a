/**
 * Reads and stores a provider's credentials through its module: the workspaces package keeps the
 * sealed secret and public config per (workspace, provider); the module says what they contain.
 */
import type { Provider } from '@recon/domain';
import {
  getProviderCredentials,
  putProviderCredentials,
  type CredentialsResult,
  type ProviderConfigView,
  type SecretBox,
  type WorkspacesDatabase,
} from '@recon/workspaces';
import type { Kysely } from 'kysely';
import type { ProviderModule } from './provider-module';
import { providerModule } from './registry';

/** A workspace's credentials for the module's provider, read back by the module. Never log them. */
export async function loadProviderCredentials<C>(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  workspaceId: string,
  module: ProviderModule<C>,
): Promise<CredentialsResult<C>> {
  const stored = await getProviderCredentials(db, box, workspaceId, module.name);
  if (!stored.ok) return stored;
  return { ok: true, value: module.credentials.read(stored.value) };
}

/**
 * Validates `input` with the provider's PUT schema and stores it (the configuration route does the
 * same through its zod schema; tests and the demo call this).
 */
export async function configureProvider(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  input: { workspaceId: string; provider: Provider; credentials: unknown; now: Date },
): Promise<
  { ok: true; value: ProviderConfigView } | { ok: false; code: 'VALIDATION_FAILED'; issues: readonly string[] }
> {
  const module = providerModule(input.provider);
  const parsed = module.credentials.input.safeParse(input.credentials);
  if (!parsed.success)
    return {
      ok: false,
      code: 'VALIDATION_FAILED',
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    };
  const { publicConfig, secret } = module.credentials.split(parsed.data);
  const value = await putProviderCredentials(db, box, {
    workspaceId: input.workspaceId,
    provider: input.provider,
    publicConfig: { ...publicConfig },
    secret: { ...secret },
    now: input.now,
  });
  return { ok: true, value };
}
