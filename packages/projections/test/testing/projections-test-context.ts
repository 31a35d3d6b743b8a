/**
 * Test support for the projections' integration tests: a fresh database per file (event store and
 * projections migrated, cloned from a template), a PostgreSQL event store on it and a kysely
 * handle. Events come from `@recon/domain/testing`'s Scenario; `@recon/testkit`'s appendEvents
 * appends them.
 */
import { createPostgresEventStore, migrateEventStore, type EventStore } from '@recon/eventstore';
import { freshDatabase, testKysely, type FreshDatabase, type Schemas } from '@recon/testkit';
import type { Kysely } from 'kysely';
import { migrateProjections, type ProjectionsDatabase } from '../../src/index';

/** The schemas projections' tests migrate. */
export const testSchemas: Schemas = {
  eventstore: ({ pool }) => migrateEventStore(pool),
  projections: ({ db }) => migrateProjections(db),
};

export interface TestContext {
  readonly fresh: FreshDatabase;
  readonly db: Kysely<ProjectionsDatabase>;
  readonly store: EventStore;
  close(): Promise<void>;
}

export async function setupDatabase(name: string): Promise<TestContext> {
  const fresh = await freshDatabase({ name, schemas: testSchemas });
  const db = testKysely<ProjectionsDatabase>(fresh.url);
  const store = createPostgresEventStore({ connectionString: fresh.url, batchSize: 200, pollIntervalMs: 200 });
  return {
    fresh,
    db,
    store,
    async close() {
      await store.close();
      await db.destroy();
      await fresh.drop();
    },
  };
}

export const T0 = '2030-06-01T10:00:00.000Z';

export function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

export const HASH_A = 'a'.repeat(64);
export const HASH_B = 'b'.repeat(64);
