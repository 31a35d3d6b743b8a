/**
 * Opens the database the admin commands work on: the same one `recon start` uses (DATABASE_URL,
 * else the embedded cluster under RECON_DATA_DIR). An embedded cluster already owned by a running
 * recon is refused before anything starts, with one line naming the data directory. Unlike
 * `recon start`, an unreachable database is a failure at once (exit 1), not something to wait
 * for. Migrations run (idempotent), so workspaces and keys can be made before the first start.
 * Logs go to stderr so `--json` output on stdout stays one clean document.
 */
import { createLogger } from '@recon/api';
import { describeFailure } from '@recon/resilience';
import { sql } from 'kysely';
import { migrateAll, openRuntime, type Runtime } from '../runtime/open-runtime';
import { resolveConfig } from '../runtime/resolve-config';
import { EXIT_FAILURE, EXIT_USAGE, type AdminIo } from './admin-io';
import { embeddedDatabaseOwner } from './embedded-owner';

export type AdminRuntimeResult =
  | { readonly ok: true; readonly runtime: Runtime }
  | { readonly ok: false; readonly exitCode: number };

export async function openAdminRuntime(io: AdminIo): Promise<AdminRuntimeResult> {
  const config = await resolveConfig(io.env);
  if (!config.ok) {
    io.err(`${config.message}\n`);
    return { ok: false, exitCode: EXIT_USAGE };
  }
  if (config.value.env.databaseUrl === undefined) {
    const owner = await embeddedDatabaseOwner(config.value.dataDir);
    if (owner !== null) {
      io.err(
        `recon: the embedded database in ${config.value.dataDir} is in use by a running recon (PostgreSQL pid ${owner}); stop it first, or set DATABASE_URL to that database's server.\n`,
      );
      return { ok: false, exitCode: EXIT_FAILURE };
    }
  }
  const log = createLogger({ level: io.env['LOG_LEVEL'] ?? 'warn', destination: { write: (line) => io.err(line) } });
  let runtime: Runtime;
  try {
    runtime = await openRuntime(config.value, log, { migrate: false, poolSize: 2, longRunning: true });
  } catch (error) {
    io.err(`recon: ${error instanceof Error ? error.message : String(error)}\n`);
    return { ok: false, exitCode: EXIT_FAILURE };
  }
  try {
    await sql`SELECT 1`.execute(runtime.db);
  } catch (error) {
    await runtime.close();
    io.err(`recon: the database does not answer (${describeFailure(error)}); check DATABASE_URL.\n`);
    return { ok: false, exitCode: EXIT_FAILURE };
  }
  try {
    await migrateAll(runtime.pool, runtime.db, runtime.eventStoreKind === 'postgres');
  } catch (error) {
    await runtime.close();
    io.err(`recon: migrations failed (${describeFailure(error)}).\n`);
    return { ok: false, exitCode: EXIT_FAILURE };
  }
  return { ok: true, runtime };
}

/**
 * Runs `work` on the admin runtime and closes it: a refusal to open is its exit code, a failure
 * of `work` is one line naming `what` (never row values) and exit 1.
 */
export async function withAdminRuntime(
  io: AdminIo,
  what: string,
  work: (runtime: Runtime) => Promise<number>,
): Promise<number> {
  const opened = await openAdminRuntime(io);
  if (!opened.ok) return opened.exitCode;
  try {
    return await work(opened.runtime);
  } catch (error) {
    io.err(`recon: ${what} failed (${describeFailure(error)}).\n`);
    return EXIT_FAILURE;
  } finally {
    await opened.runtime.close();
  }
}
