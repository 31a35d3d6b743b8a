import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { afterAll, beforeAll } from 'vitest';
import { describeEventStoreContract } from '../testing';
import { migrateEventStore } from './migrate-event-store';
import { createPostgresEventStore } from './postgres-event-store';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase({ name: 'postgres-event-store', migrate: migrateEventStore, templateKey: 'eventstore' });
});
afterAll(async () => {
  await db.drop();
});

describeEventStoreContract('PostgreSQL', async () => {
  const store = createPostgresEventStore({ connectionString: db.url, pollIntervalMs: 1_000 });
  return { store, teardown: () => store.close() };
});
