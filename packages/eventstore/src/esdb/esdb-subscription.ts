/**
 * The port's `subscribe` over EventStoreDB: `subscribeToAll` with a server-side stream-name
 * filter (the caller's prefixes, else "not a $-system stream"), server checkpoints turned into
 * port checkpoints only once proven safe (prove-checkpoint.ts: every saved position is an event's
 * position with nothing undelivered before it), the caught-up signal, and resubscription with
 * capped exponential backoff from the last safe position whenever the subscription drops.
 *
 * Ordering: the client emits `caughtUp` and calls `checkpointReached` while it transforms the
 * gRPC response, before earlier events may have been read off its buffer. We therefore push a
 * marker into the subscription's own stream at that moment, so markers come out exactly between
 * the events they were sent between; a checkpoint never overtakes an event it covers.
 *
 * Caught-up: servers from 23.10 send CaughtUp. For older (or unknown) servers we read $all to the
 * end ourselves, say caught-up there, and then subscribe from that position.
 */
import type { Readable } from 'node:stream';
import {
  START as ESDB_START,
  UnavailableError,
  streamNameFilter,
  type EventStoreDBClient,
  type Position as EsdbPosition,
} from '@eventstore/db-client';
import { START, type Position, type SubscribeOptions, type SubscriptionItem } from '../port';
import { isEsdbFailure, toEventStoreError } from './classify-esdb-error';
import { compareEsdbPositions, decodeEsdbPosition, encodeEsdbPosition } from './esdb-position';
import { scanAll } from './esdb-read';
import { isSystemStream, mapRecordedEvent } from './map-recorded-event';
import { proveCheckpoint } from './prove-checkpoint';
import { serverSendsCaughtUp } from './server-sends-caught-up';

export interface EsdbSubscriptionSettings {
  readonly client: EventStoreDBClient;
  /** Aborted when the store closes. */
  readonly closed: AbortSignal;
  /** Server checkpoint every `checkpointInterval × 32` scanned events. */
  readonly checkpointInterval: number;
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
}

const MARK = Symbol('esdb-subscription-marker');
type Marker = { readonly [MARK]: 'checkpoint'; readonly position: EsdbPosition } | { readonly [MARK]: 'caught-up' };

export async function* esdbSubscribe(
  settings: EsdbSubscriptionSettings,
  options: SubscribeOptions,
): AsyncGenerator<SubscriptionItem> {
  const signal = options.signal ? AbortSignal.any([options.signal, settings.closed]) : settings.closed;
  const prefixes = options.streamPrefixes;
  const wanted = (streamName: string): boolean =>
    !isSystemStream(streamName) && (prefixes === undefined || prefixes.some((p) => streamName.startsWith(p)));
  let last: Position = options.from ?? START;
  let lastEvent: Position = last;
  let caughtUp = false;

  // Failures the adapter retries by itself are reported through onRetry; the others (access
  // denied) are thrown as an EventStoreError that says what to configure.
  let failures = 0;
  const retryAfter = async (error: unknown): Promise<void> => {
    if (signal.aborted) return;
    if (!isEsdbFailure(error)) throw error;
    const failure = toEventStoreError(error);
    if (!failure.retryable) throw failure;
    failures += 1;
    const retryInMs = backoffMs(settings.backoff, failures);
    options.onRetry?.({ code: failure.code, cause: failure.causeDescription, retryInMs });
    await pause(retryInMs, signal);
  };

  if (!(await serverSendsCaughtUp(settings.client))) {
    for (;;) {
      if (signal.aborted) return;
      let page;
      try {
        page = await scanAll(settings.client, last, 512, (e) => wanted(e.streamName));
        failures = 0;
      } catch (error) {
        await retryAfter(error);
        continue;
      }
      for (const event of page.events) {
        yield { kind: 'event', event };
        last = event.position;
        lastEvent = event.position;
      }
      if (compareEsdbPositions(page.next, last) > 0) {
        last = page.next;
        yield { kind: 'checkpoint', position: last };
      }
      if (page.atEnd) break;
    }
    caughtUp = true;
    yield { kind: 'caught-up', position: last };
  }

  // Events are deduplicated against the last *event*, not the last checkpoint: some server
  // releases sent a checkpoint equal to the position of the next, not yet delivered event.
  while (!signal.aborted) {
    const subscription = openSubscription(settings, last, prefixes);
    const stop = (): void => {
      void subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    };
    signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const item of subscription as AsyncIterable<unknown>) {
        failures = 0;
        if (isMarker(item)) {
          if (item[MARK] === 'caught-up') {
            if (!caughtUp) {
              caughtUp = true;
              yield { kind: 'caught-up', position: last };
            }
          } else {
            // Never trusted as sent: see prove-checkpoint.ts for the server behaviours this guards.
            const proven = await proveCheckpoint(
              settings.client,
              last,
              encodeEsdbPosition(item.position),
              wanted,
              checkpointWindow(settings),
            );
            if (proven !== null && compareEsdbPositions(proven, last) > 0) {
              last = proven;
              yield { kind: 'checkpoint', position: proven };
            }
          }
          continue;
        }
        const event = mapRecordedEvent(item as Parameters<typeof mapRecordedEvent>[0]);
        if (!event || compareEsdbPositions(event.position, lastEvent) <= 0) continue;
        lastEvent = event.position;
        if (compareEsdbPositions(event.position, last) > 0) last = event.position;
        if (wanted(event.streamName)) yield { kind: 'event', event };
      }
      // The server ended the subscription without an error: resubscribe like after a drop.
      throw new UnavailableError();
    } catch (error) {
      // Dropped (server restart, network, a 22.10/23.10 live-buffer overflow): resubscribe from
      // the last safe position after a backoff, told through onRetry; access denied is thrown.
      stop();
      await retryAfter(error);
    } finally {
      signal.removeEventListener('abort', stop);
      stop();
    }
  }
}

function openSubscription(settings: EsdbSubscriptionSettings, from: Position, prefixes: readonly string[] | undefined) {
  const decoded = decodeEsdbPosition(from);
  const common = {
    checkpointInterval: settings.checkpointInterval,
    checkpointReached: (sub: unknown, position: EsdbPosition) => {
      (sub as Readable).push({ [MARK]: 'checkpoint', position } satisfies Marker);
    },
  };
  const filter =
    prefixes === undefined
      ? streamNameFilter({ regex: '^[^$]', ...common })
      : streamNameFilter({ prefixes: [...prefixes], ...common });
  const subscription = settings.client.subscribeToAll({
    fromPosition: decoded === 'start' ? ESDB_START : decoded,
    filter,
  });
  subscription.on('caughtUp', () => {
    (subscription as unknown as Readable).push({ [MARK]: 'caught-up' } satisfies Marker);
  });
  subscription.on('error', () => undefined);
  return subscription as typeof subscription & Readable;
}

/** Scanned events between two server checkpoints, plus one: one page of the proof read. */
function checkpointWindow(settings: EsdbSubscriptionSettings): number {
  return settings.checkpointInterval * 32 + 1;
}

function isMarker(item: unknown): item is Marker {
  return typeof item === 'object' && item !== null && MARK in item;
}

/** Capped exponential backoff with jitter (half to full of the step). */
export function backoffMs(backoff: { readonly initialMs: number; readonly maxMs: number }, failures: number): number {
  const step = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(step * (0.5 + Math.random() * 0.5));
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
