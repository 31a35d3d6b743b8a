/**
 * An `EventStore` that seals what events carry about a person (sealed-fields.ts) under their
 * stream's key on append, and opens it on every read while the key exists. Once an erasure
 * destroys the key, every read — live subscriptions, stream reads, a rebuild — returns those
 * fields empty, as if the events had never carried them; nothing else about the events changes.
 * Events written before sealing existed read as they are.
 */
import {
  EventStoreError,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
  type SubscribeOptions,
  type SubscriptionItem,
} from '@recon/eventstore';
import { abortableDelay, backoffDelayMs } from '@recon/resilience';
import { needsSealing, openEventData, sealEventData, sealedUnder } from './sealed-fields';
import type { StreamKeyring } from './stream-keyring';

/** The event that destroys keys: a reader that sees it drops its cached keys. */
const ERASURE_EVENT = 'LeadContactErased';

export function createSealingEventStore(inner: EventStore, keyring: StreamKeyring): EventStore {
  async function open(events: readonly RecordedEvent[]): Promise<readonly RecordedEvent[]> {
    if (events.some((e) => e.type === ERASURE_EVENT)) keyring.forget();
    const wanted = new Map<string, string>();
    for (const e of events) {
      const keyId = sealedUnder(e.data);
      if (keyId !== null) wanted.set(e.streamName, keyId);
    }
    if (wanted.size === 0) return events;
    const keys = await keyring.forRead(wanted);
    return events.map((e) =>
      sealedUnder(e.data) === null
        ? e
        : { ...e, data: openEventData(e.streamName, e.type, e.data, keys.get(e.streamName)).data },
    );
  }

  async function* subscribe(options: SubscribeOptions = {}): AsyncIterable<SubscriptionItem> {
    for await (const item of inner.subscribe(options)) {
      if (item.kind !== 'event') {
        yield item;
        continue;
      }
      for (let attempt = 1; ; attempt += 1) {
        try {
          const [opened] = await open([item.event]);
          yield { kind: 'event', event: opened ?? item.event };
          break;
        } catch (error) {
          if (!(error instanceof EventStoreError) || !error.retryable) throw error;
          // The key table is away: wait for it (the subscription's position has not moved).
          const retryInMs = backoffDelayMs(attempt, { baseMs: 200, maxMs: 10_000 });
          options.onRetry?.({ code: error.code, cause: error.causeDescription, retryInMs });
          await abortableDelay(retryInMs, options.signal);
          if (options.signal?.aborted === true) return;
        }
      }
    }
  }

  return {
    async append(streamName, events, options) {
      if (!events.some((e) => needsSealing(e.type, e.data))) return inner.append(streamName, events, options);
      const key = (await keyring.forAppend([streamName])).get(streamName);
      if (key === undefined)
        throw new EventStoreError(
          'EVENT_STORE_UNAVAILABLE',
          'no key for the stream could be created',
          'StreamKeyMissing',
        );
      const sealed: EventToAppend[] = events.map((e) => ({
        ...e,
        data: sealEventData(streamName, e.type, e.data, key),
      }));
      return inner.append(streamName, sealed, options);
    },
    async readStream(streamName, options) {
      return open(await inner.readStream(streamName, options));
    },
    async readAll(from, limit) {
      const page = await inner.readAll(from, limit);
      return { events: await open(page.events), next: page.next };
    },
    headPosition: () => inner.headPosition(),
    lastCommittedPosition: () => inner.lastCommittedPosition(),
    subscribe,
    comparePositions: (a, b) => inner.comparePositions(a, b),
    close: () => inner.close(),
  };
}
