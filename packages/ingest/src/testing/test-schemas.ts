/**
 * The schemas ingest's tests and benches migrate: every schema ingest touches (event store,
 * workspaces, its own tables, and the projections' read models the lead lookups query). Passed to
 * `@recon/testkit`'s `freshDatabase({ schemas })`.
 */
import { migrateEventStore } from '@recon/eventstore';
import { migrateProjections } from '@recon/projections';
import type { Schemas } from '@recon/testkit';
import { migrateWorkspaces } from '@recon/workspaces';
import { migrateIngest } from '../reconcile/migrate-ingest';

export const testSchemas: Schemas = {
  eventstore: ({ pool }) => migrateEventStore(pool),
  workspaces: ({ db }) => migrateWorkspaces(db),
  ingest: ({ db }) => migrateIngest(db),
  projections: ({ db }) => migrateProjections(db),
};

/** The event store alone (tests of appending and deciding). */
export const eventStoreSchema: Schemas = {
  eventstore: ({ pool }) => migrateEventStore(pool),
};
