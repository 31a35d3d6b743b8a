/**
 * The PostgreSQL adapter of the event-store port (recon's embedded default). The schema comes
 * from `migrateEventStore`; this module wires the pool, the append function (plus a coalesced
 * NOTIFY after commit), the fenced global reads and the LISTEN-woken subscriptions into one
 * `EventStore`.
 */
import pg from 'pg';
import { START, type EventStore, type Position } from '../port';
import { createAppendAnnouncer } from './append-announcer';
import { createAppendNotifier } from './append-notifier';
import { appendEvents } from './append-events';
import { comparePostgresPositions } from './postgres-position';
import { readGlobalPage, readStream } from './read-events';
import { subscribeToAll } from './subscribe-to-all';

export type PostgresEventStoreOptions = (
  | { readonly pool: pg.Pool; readonly connectionString?: never }
  | { readonly connectionString: string; readonly pool?: never }
) & {
  /** Events per subscription page. Default 500. */
  readonly batchSize?: number;
  /** Polling fallback when no NOTIFY arrives. Default 1 000 ms. */
  readonly pollIntervalMs?: number;
};

/**
 * Creates the store. With `connectionString` it owns its pool (ended by `close`); with `pool` the
 * caller keeps ownership. Subscriptions use one extra dedicated connection for LISTEN.
 */
export function createPostgresEventStore(options: PostgresEventStoreOptions): EventStore {
  const ownsPool = options.pool === undefined;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: 10 });
  // An idle connection the server ends (restart, failover, a forced drop) is discarded by the pool
  // and the next query reconnects; without a listener that event would crash the process.
  if (ownsPool) pool.on('error', () => undefined);
  const listenConfig: pg.ClientConfig =
    options.connectionString !== undefined ? { connectionString: options.connectionString } : { ...pool.options };
  const notifier = createAppendNotifier(listenConfig);
  const announcer = createAppendAnnouncer(pool);
  const closing = new AbortController();
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;

  const headPosition = async (): Promise<Position> =>
    (await readGlobalPage(pool, START, 0, undefined, true)).head ?? START;

  return {
    async append(streamName, events, appendOptions) {
      const result = await appendEvents(pool, streamName, events, appendOptions?.expectedRevision ?? 'any', headPosition);
      if (result.ok && events.length > 0) announcer.announce();
      return result;
    },
    readStream: (streamName, readOptions) => readStream(pool, streamName, readOptions),
    async readAll(from, limit) {
      const { events, next } = await readGlobalPage(pool, from, limit, undefined, false);
      return { events, next };
    },
    headPosition,
    subscribe: (subscribeOptions) =>
      subscribeToAll({ pool, notifier, storeSignal: closing.signal, batchSize, pollIntervalMs }, subscribeOptions),
    comparePositions: comparePostgresPositions,
    async close() {
      closing.abort();
      await announcer.settled();
      await notifier.close();
      if (ownsPool) await pool.end();
    },
  };
}
