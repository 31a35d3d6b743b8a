/**
 * Test support for `recon start` in process: a fresh database, a temporary RECON_DATA_DIR and the
 * CLI configuration resolved from them (port 0, silent logs) plus the test's own variables.
 * `cleanup()` drops the database and removes the directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { resolveConfig, type CliConfig } from '../runtime/resolve-config';

export interface StartTestConfig {
  readonly database: FreshDatabase;
  readonly dataDir: string;
  readonly config: CliConfig;
  cleanup(): Promise<void>;
}

export async function startTestConfig(name: string, env: Record<string, string> = {}): Promise<StartTestConfig> {
  const database = await freshDatabase({ name: `cli-start-${name}` });
  const dataDir = await mkdtemp(path.join(tmpdir(), `recon-start-${name}-`));
  const cleanup = async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const resolved = await resolveConfig({
    DATABASE_URL: database.url,
    RECON_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  if (!resolved.ok) {
    await cleanup();
    throw new Error(resolved.message);
  }
  return { database, dataDir, config: resolved.value, cleanup };
}
