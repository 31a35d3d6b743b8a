/**
 * Test support for the notifications package: a fresh database (event store, projections,
 * workspaces and outbox migrated, cloned from a template) and a workspace whose notifyUrl points
 * at a local receiver (see receiver.ts).
 */
import { createPostgresEventStore, migrateEventStore, type EventStore } from '@recon/eventstore';
import { migrateProjections } from '@recon/projections';
import { freshDatabase, testKysely, type FreshDatabase, type Schemas } from '@recon/testkit';
import {
  createSecretBox,
  createWorkspace,
  migrateWorkspaces,
  putWorkspaceSettings,
  type WorkspacesDatabase,
} from '@recon/workspaces';
import type { Kysely } from 'kysely';
import { migrateNotifications, type NotificationsDatabase } from '../../src/index';

export const SECRET_KEY = 'secret-key-for-notification-tests-0123456789';
export const NOTIFY_SECRET = 'notify-secret-for-tests-0123456789';
/**
 * The receivers of these tests listen on http://127.0.0.1: the workers allow private addresses,
 * explicitly (RECON_ALLOW_PRIVATE_URLS=1's meaning). Production's default is strict.
 */
export const LOCAL_RECEIVERS = { allowPrivate: true } as const;

/** The schemas notifications' tests migrate. */
export const testSchemas: Schemas = {
  eventstore: ({ pool }) => migrateEventStore(pool),
  projections: ({ db }) => migrateProjections(db),
  workspaces: ({ db }) => migrateWorkspaces(db),
  notifications: ({ db }) => migrateNotifications(db),
};

export interface TestContext {
  readonly fresh: FreshDatabase;
  readonly db: Kysely<WorkspacesDatabase>;
  /** The same connection pool, typed for the outbox. */
  readonly outbox: Kysely<NotificationsDatabase>;
  readonly store: EventStore;
  close(): Promise<void>;
}

export async function setupDatabase(name: string): Promise<TestContext> {
  const fresh = await freshDatabase({ name, schemas: testSchemas });
  const db = testKysely<WorkspacesDatabase>(fresh.url);
  const store = createPostgresEventStore({ connectionString: fresh.url, batchSize: 200, pollIntervalMs: 100 });
  return {
    fresh,
    db,
    outbox: db as unknown as Kysely<NotificationsDatabase>,
    store,
    async close() {
      await store.close();
      await db.destroy();
      await fresh.drop();
    },
  };
}

/** A workspace whose notifications go to `notifyUrl` (null: notifications not configured). */
export async function workspaceNotifyingTo(db: Kysely<WorkspacesDatabase>, notifyUrl: string | null): Promise<string> {
  const ws = await createWorkspace(db, { name: 'notifications test', now: new Date() });
  if (notifyUrl !== null) {
    await putWorkspaceSettings(db, createSecretBox(SECRET_KEY), {
      workspaceId: ws.id,
      settings: { notifyUrl, notifySecret: NOTIFY_SECRET },
      now: new Date(),
    });
  }
  return ws.id;
}
