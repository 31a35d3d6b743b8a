/** @recon/testkit: test support shared by every package (databases, waiting without sleeps). */
export { freshDatabase, type FreshDatabase, type FreshDatabaseOptions } from './fresh-database';
export { freshKysely, type FreshKysely } from './fresh-kysely';
export { waitFor, type WaitForOptions } from './wait-for';
export { postgresServerUrl, stopLazyPostgresServer } from './postgres-server';
export { startEmbeddedPostgres, type EmbeddedPostgresServer } from './embedded-postgres-server';
export { dropRunDatabases, testRunId } from './test-run';
export {
  migrateSchemas,
  schemasKey,
  testKysely,
  type MigrationTarget,
  type SchemaMigrator,
  type Schemas,
} from './schemas';
export { appendEvents, type AppendTarget, type FixtureEvent } from './append-events';
export type { BenchFigure, BenchResult, GoalKind } from './bench-report/bench-result';
