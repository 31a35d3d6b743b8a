/**
 * The schemas api's tests and benches migrate (one template for every api test file): the event
 * store, workspaces, the projections' read models the read routes query, and ingest's tables the
 * reconciliation routes use. Passed to `@recon/testkit`'s `freshDatabase({ schemas })`.
 */
import { migrateEventStore } from '@recon/eventstore';
import { migrateIngest } from '@recon/ingest';
import { migrateProjections } from '@recon/projections';
import type { Schemas } from '@recon/testkit';
import { migrateWorkspaces } from '@recon/workspaces';

export const testSchemas: Schemas = {
  eventstore: ({ pool }) => migrateEventStore(pool),
  workspaces: ({ db }) => migrateWorkspaces(db),
  projections: ({ db }) => migrateProjections(db),
  ingest: ({ db }) => migrateIngest(db),
};
