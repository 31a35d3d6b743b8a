/**
 * The EventStoreDB adapter of the event-store port (production), over `@eventstore/db-client` v6.
 * Appends pass the caller's expected revision through exactly (see esdb-append.ts), reads and
 * subscriptions skip EventStoreDB's own `$`-system streams, and positions are EventStoreDB's
 * $all {commit, prepare} pairs behind the port's opaque `Position`.
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import type { EventStore, Position, SubscribeOptions, SubscriptionItem } from '../port';
import { esdbAppend } from './esdb-append';
import { compareEsdbPositions } from './esdb-position';
import { headEsdbPosition, readStreamEvents, scanAll } from './esdb-read';
import { esdbSubscribe } from './esdb-subscription';

export interface EsdbEventStoreOptions {
  /** An `esdb://` connection string, e.g. `esdb://localhost:2113?tls=false` (EVENTSTORE_URL). */
  readonly connectionString: string;
  /** Server checkpoint every `checkpointInterval × 32` scanned events on subscriptions. Default 1. */
  readonly checkpointInterval?: number;
  /** Resubscribe backoff after a dropped subscription. Default 100 ms doubling up to 5 s. */
  readonly resubscribeBackoff?: { readonly initialMs: number; readonly maxMs: number };
}

export function createEsdbEventStore(options: EsdbEventStoreOptions): EventStore {
  const client = EventStoreDBClient.connectionString(options.connectionString);
  const closing = new AbortController();
  const settings = {
    client,
    closed: closing.signal,
    checkpointInterval: options.checkpointInterval ?? 1,
    backoff: options.resubscribeBackoff ?? { initialMs: 100, maxMs: 5_000 },
  };
  return {
    append: (streamName, events, appendOptions) =>
      esdbAppend(client, streamName, events, appendOptions?.expectedRevision ?? 'any'),
    readStream: (streamName, readOptions) =>
      readStreamEvents(
        client,
        streamName,
        readOptions?.fromRevision ?? 0n,
        readOptions?.maxCount ?? Number.MAX_SAFE_INTEGER,
      ),
    readAll: async (from: Position, limit: number) => {
      if (limit <= 0) return { events: [], next: from };
      const page = await scanAll(client, from, limit, () => true);
      return { events: page.events, next: page.next };
    },
    headPosition: () => headEsdbPosition(client),
    // EventStoreDB shows a committed event to every global read at once: no fence to run ahead of.
    lastCommittedPosition: () => headEsdbPosition(client),
    subscribe: (subscribeOptions?: SubscribeOptions): AsyncIterable<SubscriptionItem> =>
      esdbSubscribe(settings, subscribeOptions ?? {}),
    comparePositions: compareEsdbPositions,
    close: async () => {
      closing.abort();
      await client.dispose();
    },
  };
}
