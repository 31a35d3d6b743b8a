/**
 * The composition root's storage half: the PostgreSQL database (DATABASE_URL, else the embedded
 * cluster under RECON_DATA_DIR), every package's migrations, and the event store (EVENTSTORE_URL
 * → EventStoreDB adapter, else the PostgreSQL adapter in the same database). `close()` releases
 * them in reverse order, stopping the embedded cluster last.
 */
import { createEsdbEventStore, createPostgresEventStore, migrateEventStore, type EventStore } from '@recon/eventstore';
import { migrateIngest } from '@recon/ingest';
import { migrateNotifications } from '@recon/notifications';
import { migrateProjections } from '@recon/projections';
import { migrateWorkspaces } from '@recon/workspaces';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';
import type { CliConfig } from './resolve-config';

export interface Runtime {
  readonly pool: pg.Pool;
  // Each package types the tables it owns; the composition root holds the union untyped.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly store: EventStore;
  readonly eventStoreKind: 'postgres' | 'eventstoredb';
  readonly embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

export interface OpenRuntimeOptions {
  /** Run migrations (default true). */
  readonly migrate?: boolean;
  readonly poolSize?: number;
}

/** Runs every package's migrations in dependency order; each is idempotent and lock-guarded. */
export async function migrateAll(pool: pg.Pool, db: Kysely<unknown>, withEventStore: boolean): Promise<void> {
  if (withEventStore) await migrateEventStore(pool);
  await migrateWorkspaces(db);
  await migrateProjections(db);
  await migrateIngest(db);
  await migrateNotifications(db);
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
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  let closing = false;
  pool.on('error', (error) => {
    const code = (error as { code?: string }).code;
    // 57P01: the server ended the session because it is shutting down, expected while we close.
    if (closing && code === '57P01') return;
    log.warn({ code }, 'idle database connection failed');
  });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  const esdb = config.env.eventStoreUrl;
  try {
    if (options.migrate !== false) {
      await migrateAll(pool, db, esdb === undefined);
      log.info('migrations applied');
    }
  } catch (error) {
    await db.destroy().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }
  const store = esdb === undefined ? createPostgresEventStore({ pool }) : createEsdbEventStore({ connectionString: esdb });
  log.info({ eventStore: esdb === undefined ? 'postgres' : 'eventstoredb' }, 'event store selected');
  return {
    pool,
    db,
    store,
    eventStoreKind: esdb === undefined ? 'postgres' : 'eventstoredb',
    embedded,
    async close() {
      closing = true;
      await store.close();
      await db.destroy();
      await embedded?.stop();
    },
  };
}
