/**
 * Small tools shared by the event-store contract cases: unique names (cases share one store, so
 * they never rely on a clean log), events to append, and a background subscription collector.
 */
import { randomUUID } from 'node:crypto';
import { waitFor } from '@recon/testkit';
import type { EventStore, EventToAppend, Position, SubscribeOptions, SubscriptionItem } from '../../port';

export interface StoreHandle {
  readonly store: EventStore;
  teardown(): Promise<void>;
}

export type StoreFactory = () => Promise<StoreHandle>;

export interface ContractContext {
  /** The store shared by the cases of one suite run. */
  store(): EventStore;
  /** Opens another store instance over the same data (a "restart"). */
  readonly factory: StoreFactory;
}

/** A name no other case (or earlier run against the same data) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomUUID().slice(0, 8)}`;
}

export function newEvent(type = 'ThingHappened', data: Record<string, unknown> = {}): EventToAppend {
  return { id: randomUUID(), type, data: { ...data }, metadata: { source: 'contract' } };
}

export function newEvents(count: number, type = 'ThingHappened'): EventToAppend[] {
  return Array.from({ length: count }, (_, i) => newEvent(type, { n: i }));
}

export interface Collector {
  readonly items: SubscriptionItem[];
  events(): SubscriptionItem[];
  eventIds(): string[];
  /** Waits until `predicate` holds on the items so far (default deadline 10 s). */
  until(predicate: (items: readonly SubscriptionItem[]) => boolean, description: string): Promise<void>;
  /** Aborts the subscription and waits for its iterator to end. */
  stop(): Promise<void>;
}

/** Consumes a subscription in the background, recording every item. */
export function collect(store: EventStore, options: Omit<SubscribeOptions, 'signal'> = {}): Collector {
  const controller = new AbortController();
  const items: SubscriptionItem[] = [];
  let failure: unknown;
  const done = (async () => {
    for await (const item of store.subscribe({ ...options, signal: controller.signal })) items.push(item);
  })().catch((error: unknown) => {
    failure = error;
  });
  const events = (): SubscriptionItem[] => items.filter((item) => item.kind === 'event');
  return {
    items,
    events,
    eventIds: () => events().map((item) => (item.kind === 'event' ? item.event.id : '')),
    async until(predicate, description) {
      await waitFor(
        () => {
          if (failure !== undefined) throw failure;
          return predicate(items);
        },
        { timeoutMs: 10_000, description },
      );
    },
    async stop() {
      controller.abort();
      await done;
      if (failure !== undefined) throw failure;
    },
  };
}

export function lastCheckpoint(items: readonly SubscriptionItem[]): Position | undefined {
  for (let i = items.length - 1; i >= 0; i -= 1) {
    const item = items[i];
    if (item?.kind === 'checkpoint') return item.position;
  }
  return undefined;
}

/** Reads $all from `from` in pages until `predicate` holds on the events of the given streams. */
export async function readAllOf(
  store: EventStore,
  from: Position,
  streams: ReadonlySet<string>,
  expectedCount: number,
  pageSize = 2,
): Promise<{ ids: string[]; positions: Position[]; pages: number }> {
  return waitFor(
    async () => {
      const ids: string[] = [];
      const positions: Position[] = [];
      let next = from;
      let pages = 0;
      for (;;) {
        const page = await store.readAll(next, pageSize);
        pages += 1;
        if (page.events.length === 0) {
          if (page.next !== next) throw new Error('an empty page must not move the position');
          break;
        }
        for (const event of page.events) {
          positions.push(event.position);
          if (streams.has(event.streamName)) ids.push(event.id);
        }
        next = page.next;
      }
      return ids.length >= expectedCount ? { ids, positions, pages } : false;
    },
    { timeoutMs: 10_000, description: `readAll to show ${expectedCount} events` },
  );
}
