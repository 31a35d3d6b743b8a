/**
 * recon's configuration for the CLI: the API's `loadConfig` (zod over the environment, one clear
 * message naming bad variables), then the data directory and the generated secrets for whatever
 * the environment did not give.
 */
import { loadConfig, type ReconConfig } from '@recon/api';
import { ensureDataDir } from './data-dir';
import { resolveSecrets, type ResolvedSecrets } from './data-dir-secrets';

export interface CliConfig {
  readonly env: ReconConfig;
  /** Absolute RECON_DATA_DIR. */
  readonly dataDir: string;
  readonly secrets: ResolvedSecrets;
}

export type ResolveConfigResult =
  | { readonly ok: true; readonly value: CliConfig }
  | { readonly ok: false; readonly code: 'CONFIG_INVALID' | 'SECRETS_FILE_INVALID'; readonly message: string };

export async function resolveConfig(environment: Record<string, string | undefined>): Promise<ResolveConfigResult> {
  const loaded = loadConfig(environment);
  if (!loaded.ok) return { ok: false, code: 'CONFIG_INVALID', message: loaded.message };
  const dataDir = await ensureDataDir(loaded.value.dataDir);
  const secrets = await resolveSecrets(dataDir, {
    adminToken: loaded.value.adminToken,
    secretKey: loaded.value.secretKey,
    cronSecret: loaded.value.cronSecret,
  });
  if (!secrets.ok) {
    return {
      ok: false,
      code: 'SECRETS_FILE_INVALID',
      message: `The secrets file ${secrets.file} is not valid JSON of recon's secrets; fix or remove it (removing it makes new keys: stored provider credentials become unreadable).`,
    };
  }
  return { ok: true, value: { env: loaded.value, dataDir, secrets: secrets.value } };
}
