/**
 * The PostgreSQL adapter of the event-store port (recon's embedded default). The schema comes
 * from `migrateEventStore`; this module wires the pool, the append function (plus a coalesced
 * NOTIFY after commit), the fenced global reads and the LISTEN-woken subscriptions into one
 * `EventStore`. Concurrent appends share statements and commits (group-commit.ts).
 */
import { createDatabasePool } from '@recon/resilience';
import type pg from 'pg';
import { START, type EventStore, type Position } from '../port';
import { createAppendAnnouncer } from './append-announcer';
import { createAppendNotifier } from './append-notifier';
import { appendNothing, encodeAppend } from './append-events';
import { createGroupCommit, type GroupCommitOptions } from './group-commit';
import { comparePostgresPositions } from './postgres-position';
import { lastCommittedPosition, readGlobalPage, readStream } from './read-events';
import { subscribeToAll } from './subscribe-to-all';

export type PostgresEventStoreOptions = (
  | { readonly pool: pg.Pool; readonly connectionString?: never }
  | { readonly connectionString: string; readonly pool?: never }
) & {
  /** Events per subscription page. Default 500. */
  readonly batchSize?: number;
  /** Polling fallback when no NOTIFY arrives. Default 1 000 ms. */
  readonly pollIntervalMs?: number;
  /** Limits of the group commit (appends that arrive together share one statement and commit). */
  readonly groupCommit?: GroupCommitOptions;
};

/**
 * Creates the store. With `connectionString` it owns its pool (ended by `close`); with `pool` the
 * caller keeps ownership. Subscriptions use one extra dedicated connection for LISTEN.
 */
export function createPostgresEventStore(options: PostgresEventStoreOptions): EventStore {
  const ownsPool = options.pool === undefined;
  // Its own pool is bounded in time and survives server-ended connections (createDatabasePool).
  const pool = options.pool ?? createDatabasePool({ connectionString: options.connectionString, max: 10 });
  // The LISTEN client gets the pool's settings (keep-alive, timeouts) and its own error handling.
  const listenConfig: pg.ClientConfig = { ...pool.options };
  const notifier = createAppendNotifier(listenConfig);
  const announcer = createAppendAnnouncer(pool);
  const closing = new AbortController();
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const groupCommit = createGroupCommit(pool, options.groupCommit);

  const headPosition = async (): Promise<Position> =>
    (await readGlobalPage(pool, START, 0, undefined, true)).head ?? START;

  return {
    async append(streamName, events, appendOptions) {
      const expected = appendOptions?.expectedRevision ?? 'any';
      if (events.length === 0) return appendNothing(pool, streamName, expected, headPosition);
      const result = await groupCommit.append(encodeAppend(streamName, events, expected));
      if (result.ok) announcer.announce();
      return result;
    },
    readStream: (streamName, readOptions) => readStream(pool, streamName, readOptions),
    async readAll(from, limit) {
      const { events, next } = await readGlobalPage(pool, from, limit, undefined, false);
      return { events, next };
    },
    headPosition,
    lastCommittedPosition: () => lastCommittedPosition(pool),
    subscribe: (subscribeOptions) =>
      subscribeToAll({ pool, notifier, storeSignal: closing.signal, batchSize, pollIntervalMs }, subscribeOptions),
    comparePositions: comparePostgresPositions,
    async close() {
      closing.abort();
      await groupCommit.settled();
      await announcer.settled();
      await notifier.close();
      if (ownsPool) await pool.end();
    },
  };
}
