/**
 * Test support: a fresh database (workspaces + event store schemas), a real PostgreSQL event
 * store, and the app built on them, optionally listening on an ephemeral port. Log lines are
 * captured so tests can assert on them (no PII).
 */
import { Writable } from 'node:stream';
import { createPostgresEventStore, migrateEventStore, type EventStore } from '@recon/eventstore';
import { migrateIngest, type LeadLookup } from '@recon/ingest';
import { migrateProjections } from '@recon/projections';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { migrateWorkspaces, type WorkspacesDatabase } from '@recon/workspaces';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { ALL_ROUTE_GROUPS, buildApp, createLogger, type ApiKeyCache, type BuildAppConfig, type ReconApp } from '../../src/index';
import { reconcileTestOptions } from './reconcile-test-routes';
import { scanLeadLookup } from '@recon/ingest/testing';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
export const SECRET_KEY = 'secret-key-for-tests-0123456789abcdef-0123';

export async function migrateAll(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  // The template build terminates leftover sessions right after migrating: not an error here.
  pool.on('error', () => undefined);
  try {
    await migrateEventStore(pool);
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    await migrateWorkspaces(db);
    await migrateProjections(db); // the read API's routes read the projections' tables
    await migrateIngest(db); // the reconciliation routes (backfills, unmatched appointments)
  } finally {
    await pool.end();
  }
}

export interface TestApp {
  readonly app: ReconApp;
  readonly db: Kysely<WorkspacesDatabase>;
  readonly store: EventStore;
  readonly database: FreshDatabase;
  readonly logLines: string[];
  /** Base URL when started with `listen: true`. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

export async function startTestApp(options: {
  name: string;
  listen?: boolean;
  clock?: () => Date;
  config?: Partial<BuildAppConfig>;
  leadLookup?: (store: EventStore) => LeadLookup;
  /** Use buildApp's default lookup (the projections' lead_identities) instead of the store scan. */
  productionLookup?: boolean;
  /** Also register reconciliation's routes, as `recon start` does (see reconcile-test-routes.ts). */
  reconcileRoutes?: boolean;
  apiKeyCache?: ApiKeyCache;
}): Promise<TestApp> {
  const database = await freshDatabase({ name: options.name, migrate: migrateAll, templateKey: 'api-workspaces-eventstore-projections-ingest-v3' });
  const db = new Kysely<WorkspacesDatabase>({ dialect: new PostgresDialect({ pool: database.pool }) });
  const store = createPostgresEventStore({ connectionString: database.url });
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter((l) => l.length > 0));
      done();
    },
  });
  const app = await buildApp({
    db,
    store,
    config: { adminToken: ADMIN_TOKEN, secretKey: SECRET_KEY, ...options.config },
    ...(options.productionLookup === true ? {} : { leadLookup: (options.leadLookup ?? scanLeadLookup)(store) }),
    log: createLogger({ level: 'info', destination }),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...(options.apiKeyCache !== undefined ? { apiKeyCache: options.apiKeyCache } : {}),
    // Every group but notifications (its tables are not migrated here: see packages/notifications' tests).
    routes: new Set(ALL_ROUTE_GROUPS.filter((g) => g !== 'notifications' && (g !== 'reconcile' || options.reconcileRoutes === true))),
    reconcile: reconcileTestOptions,
  });
  let baseUrl = '';
  if (options.listen === true) {
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  } else {
    await app.ready();
  }
  return {
    app,
    db,
    store,
    database,
    logLines,
    baseUrl,
    async close() {
      await app.close();
      await store.close();
      await database.drop();
    },
  };
}

export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
