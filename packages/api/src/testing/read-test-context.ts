/**
 * Test support for the read API and the operator page: a fresh database (api's test schemas,
 * cloned from a template), the real app on an ephemeral port, and the
 * projections running in-process so seeded events become read models (tests wait on positions).
 */
import { createPostgresEventStore, type EventStore, type Position } from '@recon/eventstore';
import { startProjections, type ProjectionsHandle } from '@recon/projections';
import { createDatabasePool } from '@recon/resilience';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { createSealingEventStore, createStreamKeyring } from '@recon/privacy';
import { createApiKey, createSecretBox, createWorkspace, type WorkspacesDatabase } from '@recon/workspaces';
import { Kysely, PostgresDialect } from 'kysely';
import { buildApp, type ReconApp } from '../index';
import { testSchemas } from './test-schemas';
import { ADMIN_TOKEN, SECRET_KEY } from './test-secrets';

export { admin } from './test-secrets';

export interface ReadTestContext {
  readonly app: ReconApp;
  readonly db: Kysely<WorkspacesDatabase>;
  readonly store: EventStore;
  readonly projections: ProjectionsHandle;
  readonly database: FreshDatabase;
  readonly baseUrl: string;
  /** A workspace and an operator key for it (created directly in the database). */
  workspace(name: string): Promise<{ ws: string; key: string; keyId: string; auth: Record<string, string> }>;
  /** Waits until the projections passed `position` (default: the store's head); throws on timeout. */
  caughtUp(position?: Position): Promise<void>;
  close(): Promise<void>;
}

export interface ReadTestOptions {
  readonly clock?: () => Date;
  /** /readyz threshold for naming a long transaction (default the app's). */
  readonly longTransactionSeconds?: number;
  /** Runner back-off cap, ms (outage tests keep it short). */
  readonly runnerRetryMaxMs?: number;
}

export async function startReadTestContext(name: string, options: ReadTestOptions = {}): Promise<ReadTestContext> {
  const database = await freshDatabase({ name, schemas: testSchemas });
  database.pool.on('error', () => undefined);
  // The app's pool is built like production's (time bounds, error listeners on every client).
  const pool = createDatabasePool({ connectionString: database.url, max: 8, settings: { connectTimeoutMs: 2_000 } });
  const db = new Kysely<WorkspacesDatabase>({ dialect: new PostgresDialect({ pool }) });
  // As `recon start` does: what events say about a person is sealed under per-stream keys.
  const streamKeys = createStreamKeyring({ db, box: createSecretBox(SECRET_KEY) });
  const store = createSealingEventStore(createPostgresEventStore({ connectionString: database.url }), streamKeys);
  const clock = options.clock ?? (() => new Date());
  const projections = startProjections({
    store,
    db,
    clock,
    ...(options.runnerRetryMaxMs !== undefined ? { options: { retryMaxMs: options.runnerRetryMaxMs } } : {}),
  });
  const app = await buildApp({
    db,
    store,
    clock,
    runners: () => projections.runners(),
    ...(options.longTransactionSeconds !== undefined ? { longTransactionSeconds: options.longTransactionSeconds } : {}),
    config: { adminToken: ADMIN_TOKEN, secretKey: SECRET_KEY },
    streamKeys,
    // The read API's tables only: reconciliation and notifications need schemas not migrated here.
    routes: new Set(['workspaces', 'read', 'leads', 'webhooks']),
  });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    db,
    store,
    projections,
    database,
    baseUrl,
    async workspace(wsName) {
      const ws = await createWorkspace(db, { name: wsName, now: clock() });
      const key = await createApiKey(db, { workspaceId: ws.id, label: 'test', now: clock() });
      return { ws: ws.id, key: key.key, keyId: key.id, auth: { authorization: `Bearer ${key.key}` } };
    },
    async caughtUp(position) {
      const r = await projections.waitUntilCaughtUp(position, { timeoutMs: 15_000 });
      if (!r.ok) throw new Error(`projections not caught up: ${r.behind.join(', ')}`);
    },
    async close() {
      await app.close();
      await projections.stop();
      await store.close();
      await db.destroy();
      await database.drop();
    },
  };
}

export interface Http {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

export async function http(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Http> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, headers: res.headers, body };
}
