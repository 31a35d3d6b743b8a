/**
 * The entry point that listens: migrations, the event store (PostgreSQL in DATABASE_URL's
 * database, or EventStoreDB at EVENTSTORE_URL), the app, and a graceful stop. `recon start` (cli)
 * adds the embedded database, generated secrets, projections and the scheduler around it.
 * Run directly: `tsx packages/api/src/server.ts` with DATABASE_URL, RECON_ADMIN_TOKEN and
 * RECON_SECRET_KEY set.
 */
import { pathToFileURL } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { createEsdbEventStore, createPostgresEventStore, migrateEventStore, type EventStore } from '@recon/eventstore';
import { migrateWorkspaces, type WorkspacesDatabase } from '@recon/workspaces';
import { Kysely, PostgresDialect } from 'kysely';
import { createDatabasePool, createRateLimitedLog } from '@recon/resilience';
import type { AppServices } from './app-services';
import { buildApp, type ReconApp } from './build-app';
import { loadConfig, type ReconConfig } from './config/load-config';
import { createLogger } from './logging/create-logger';

export interface RunningServer {
  readonly app: ReconApp;
  readonly url: string;
  readonly store: EventStore;
  readonly db: Kysely<WorkspacesDatabase>;
  close(): Promise<void>;
}

export type StartServerResult = { readonly ok: true; readonly value: RunningServer } | { readonly ok: false; readonly code: 'CONFIG_INCOMPLETE'; readonly message: string };

export async function startServer(config: ReconConfig, extra: { plugins?: readonly FastifyPluginAsync<AppServices>[] } = {}): Promise<StartServerResult> {
  const missing = [
    config.databaseUrl === undefined ? 'DATABASE_URL (or use `recon start` for the embedded database)' : null,
    config.adminToken === undefined ? 'RECON_ADMIN_TOKEN (or use `recon start`, which generates one)' : null,
    config.secretKey === undefined ? 'RECON_SECRET_KEY (or use `recon start`, which generates one)' : null,
  ].filter((m): m is string => m !== null);
  if (missing.length > 0 || config.databaseUrl === undefined || config.adminToken === undefined || config.secretKey === undefined) {
    return { ok: false, code: 'CONFIG_INCOMPLETE', message: `Missing configuration:\n${missing.map((m) => `  ${m}`).join('\n')}` };
  }
  const log = createLogger({ level: config.logLevel });
  const pool = createDatabasePool({ connectionString: config.databaseUrl, max: 20, settings: config.database, failures: createRateLimitedLog(log) });
  const db = new Kysely<WorkspacesDatabase>({ dialect: new PostgresDialect({ pool }) });
  await migrateWorkspaces(db as Kysely<unknown>);
  let store: EventStore;
  if (config.eventStoreUrl !== undefined) {
    store = createEsdbEventStore({ connectionString: config.eventStoreUrl });
  } else {
    await migrateEventStore(pool);
    store = createPostgresEventStore({ pool });
  }
  const app = await buildApp({ db, store, log, config: { adminToken: config.adminToken, secretKey: config.secretKey }, ...(extra.plugins !== undefined ? { plugins: extra.plugins } : {}) });
  const url = await app.listen({ port: config.port, host: config.host });
  return {
    ok: true,
    value: {
      app,
      url,
      store,
      db,
      async close() {
        await app.close();
        await store.close();
        await db.destroy();
      },
    },
  };
}

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    process.exit(2);
  }
  const started = await startServer(loaded.value);
  if (!started.ok) {
    process.stderr.write(`${started.message}\n`);
    process.exit(2);
  }
  const server = started.value;
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
