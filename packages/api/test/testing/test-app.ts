/**
 * Test support: a fresh database (api's test schemas, see src/testing/test-schemas.ts), a real PostgreSQL event
 * store, and the app built on them, optionally listening on an ephemeral port. Log lines are
 * captured so tests can assert on them (no PII).
 */
import { Writable } from 'node:stream';
import { createPostgresEventStore, type EventStore } from '@recon/eventstore';
import type { LeadLookup } from '@recon/ingest';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { createSealingEventStore, createStreamKeyring } from '@recon/privacy';
import { createSecretBox, type WorkspacesDatabase } from '@recon/workspaces';
import { Kysely, PostgresDialect } from 'kysely';
import {
  ALL_ROUTE_GROUPS,
  buildApp,
  createLogger,
  type ApiKeyCache,
  type BuildAppConfig,
  type ReconApp,
} from '../../src/index';
import { testSchemas } from '../../src/testing/test-schemas';
import { ADMIN_TOKEN, SECRET_KEY } from '../../src/testing/test-secrets';
import { reconcileTestOptions } from './reconcile-test-routes';
import { scanLeadLookup } from '@recon/ingest/testing';

export { ADMIN_TOKEN, SECRET_KEY, admin } from '../../src/testing/test-secrets';

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
  const database = await freshDatabase({ name: options.name, schemas: testSchemas });
  const db = new Kysely<WorkspacesDatabase>({ dialect: new PostgresDialect({ pool: database.pool }) });
  // As `recon start` does: what events say about a person is sealed under per-stream keys.
  const streamKeys = createStreamKeyring({
    db,
    box: createSecretBox(options.config?.secretKey ?? SECRET_KEY, options.config?.previousSecretKey),
  });
  const store = createSealingEventStore(createPostgresEventStore({ connectionString: database.url }), streamKeys);
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.length > 0),
      );
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
    routes: new Set(
      ALL_ROUTE_GROUPS.filter((g) => g !== 'notifications' && (g !== 'reconcile' || options.reconcileRoutes === true)),
    ),
    reconcile: reconcileTestOptions,
    streamKeys,
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
