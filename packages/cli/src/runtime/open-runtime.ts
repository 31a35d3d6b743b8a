/**
 * The composition root's storage half: the PostgreSQL database (DATABASE_URL, else the embedded
 * cluster under RECON_DATA_DIR), every package's migrations, and the event store (EVENTSTORE_URL
 * → EventStoreDB adapter, else the PostgreSQL adapter in the same database). `close()` releases
 * them in reverse order, stopping the embedded cluster last.
 */
import { createEsdbEventStore, createPostgresEventStore, migrateEventStore, type EventStore } from '@recon/eventstore';
import { migrateIngest } from '@recon/ingest';
import { migrateNotifications } from '@recon/notifications';
import { migrateProjections, withNamedStatements } from '@recon/projections';
import { createSealingEventStore, createStreamKeyring, type StreamKeyring } from '@recon/privacy';
import { createSecretBox, migrateWorkspaces } from '@recon/workspaces';
import {
  abortableDelay,
  backoffDelayMs,
  createDatabasePool,
  createRateLimitedLog,
  describeFailure,
  isDatabaseUnavailable,
  type RateLimitedLog,
} from '@recon/resilience';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';
import type { CliConfig } from './resolve-config';

export interface Runtime {
  readonly pool: pg.Pool;
  // Each package types the tables it owns; the composition root holds the union untyped.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  /** The event store, sealing what events say about a person under per-stream keys (@recon/privacy). */
  readonly store: EventStore;
  /** The keys `store` seals with: erasure destroys them through this same keyring. */
  readonly streamKeys: StreamKeyring;
  readonly eventStoreKind: 'postgres' | 'eventstoredb';
  readonly embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

export interface OpenRuntimeOptions {
  /** Run migrations (default true). */
  readonly migrate?: boolean;
  readonly poolSize?: number;
  /** A batch job (rebuild, backfill) whose statements may outlast the request-path statement timeout. */
  readonly longRunning?: boolean;
}

/** Runs every package's migrations in dependency order; each is idempotent and lock-guarded. */
export async function migrateAll(pool: pg.Pool, db: Kysely<unknown>, withEventStore: boolean): Promise<void> {
  if (withEventStore) await migrateEventStore(pool);
  await migrateWorkspaces(db);
  await migrateProjections(db);
  await migrateIngest(db);
  await migrateNotifications(db);
}

/**
 * Runs `work`, retrying while the database is unreachable (a recon started before its database,
 * or during a failover, waits for it instead of exiting); other failures are thrown at once.
 */
async function untilDatabaseAnswers<T>(work: () => Promise<T>, failures: RateLimitedLog): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const value = await work();
      failures.recovered('DATABASE_UNREACHABLE_AT_START', {}, 'database reachable');
      return value;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const retryInMs = backoffDelayMs(attempt, { baseMs: 500, maxMs: 15_000 });
      failures.failure(
        'DATABASE_UNREACHABLE_AT_START',
        { cause: describeFailure(error), retryInMs },
        'database unreachable; waiting for it',
        'warn',
      );
      await abortableDelay(retryInMs);
    }
  }
}

export async function openRuntime(config: CliConfig, log: Logger, options: OpenRuntimeOptions = {}): Promise<Runtime> {
  let embedded: EmbeddedDatabase | null = null;
  let url = config.env.databaseUrl;
  if (url === undefined) {
    log.info({ dataDir: config.dataDir }, 'starting embedded PostgreSQL (DATABASE_URL is unset)');
    embedded = await startEmbeddedDatabase({ dataDir: config.dataDir, password: config.secrets.postgresPassword });
    log.info({ dataDir: embedded.dataDir, initialised: embedded.initialised }, 'embedded PostgreSQL ready');
    url = embedded.url;
  }
  // Bounded in time, and no connection failure can crash the process (see createDatabasePool).
  const failures = createRateLimitedLog(log);
  const settings =
    options.longRunning === true ? { ...config.env.database, statementTimeoutMs: 0 } : config.env.database;
  const pool = createDatabasePool({ connectionString: url, max: options.poolSize ?? 10, settings, failures });
  // The hot reads' marked statements go out as named prepared statements (see withNamedStatements).
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
  const esdb = config.env.eventStoreUrl;
  try {
    if (options.migrate !== false) {
      // Migrations may rewrite large tables: their own connection, without the statement timeout.
      const migrationPool = createDatabasePool({
        connectionString: url,
        max: 1,
        settings: { ...config.env.database, statementTimeoutMs: 0 },
        failures,
      });
      const migrationDb = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: migrationPool }) });
      try {
        await untilDatabaseAnswers(() => migrateAll(migrationPool, migrationDb, esdb === undefined), failures);
      } finally {
        await migrationDb.destroy();
      }
      log.info('migrations applied');
    }
  } catch (error) {
    await db.destroy().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }
  const eventStore =
    esdb === undefined ? createPostgresEventStore({ pool }) : createEsdbEventStore({ connectionString: esdb });
  // The keys live in PostgreSQL whichever store holds the events (a mutable table erasure deletes from).
  const streamKeys = createStreamKeyring({
    db,
    box: createSecretBox(config.secrets.secretKey, config.env.previousSecretKey),
  });
  const store = createSealingEventStore(eventStore, streamKeys);
  log.info({ eventStore: esdb === undefined ? 'postgres' : 'eventstoredb' }, 'event store selected');
  return {
    pool,
    db,
    store,
    streamKeys,
    eventStoreKind: esdb === undefined ? 'postgres' : 'eventstoredb',
    embedded,
    async close() {
      await store.close();
      await db.destroy();
      await embedded?.stop();
    },
  };
}
