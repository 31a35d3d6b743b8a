/**
 * A catch-up-then-live subscription to the global log of the PostgreSQL adapter. It pages through
 * events in (transaction id, position) order below the transaction fence, emits a checkpoint after
 * every page (also when a filter skipped everything in it), announces "caught up" once, then waits
 * for a NOTIFY from an append or the polling fallback. It never spins: an empty poll always waits.
 *
 * A failed read (the database restarting, our session ended, a timeout) does not end the
 * subscription: it tells the consumer through `onRetry`, waits with capped, jittered exponential
 * back-off and reads again from the last position it delivered, so nothing is skipped or repeated.
 */
import { abortableDelay, backoffDelayMs, describeFailure, isDatabaseUnavailable } from '@recon/resilience';
import type pg from 'pg';
import { START, type Position, type SubscribeOptions, type SubscriptionItem } from '../port';
import type { AppendNotifier } from './append-notifier';
import { comparePostgresPositions } from './postgres-position';
import { readGlobalPage } from './read-events';

export interface SubscriptionDeps {
  readonly pool: pg.Pool;
  readonly notifier: AppendNotifier;
  /** Aborted when the store closes. */
  readonly storeSignal: AbortSignal;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  /** Back-off between failed reads (default 100 ms doubling to 30 s). */
  readonly retry?: { readonly baseMs: number; readonly maxMs: number };
}

const DEFAULT_RETRY = { baseMs: 100, maxMs: 30_000 } as const;

export async function* subscribeToAll(
  deps: SubscriptionDeps,
  options: SubscribeOptions = {},
): AsyncGenerator<SubscriptionItem, void, undefined> {
  const signal = options.signal === undefined ? deps.storeSignal : AbortSignal.any([deps.storeSignal, options.signal]);
  const prefixes = options.streamPrefixes;
  let position: Position = options.from ?? START;
  let checkpointed = position;
  let caughtUp = false;
  let failures = 0;
  await deps.notifier.start();
  while (!signal.aborted) {
    const seen = deps.notifier.generation();
    let page;
    try {
      page = await readGlobalPage(deps.pool, position, deps.batchSize, prefixes, true);
      failures = 0;
    } catch (error) {
      if (signal.aborted) return;
      failures += 1;
      const retryInMs = backoffDelayMs(failures, deps.retry ?? DEFAULT_RETRY);
      const code = isDatabaseUnavailable(error) ? 'EVENT_STORE_UNAVAILABLE' : 'EVENT_STORE_READ_FAILED';
      options.onRetry?.({ code, cause: describeFailure(error), retryInMs });
      await abortableDelay(retryInMs, signal);
      continue;
    }
    for (const event of page.events) {
      if (signal.aborted) return;
      yield { kind: 'event', event };
      position = event.position;
    }
    const full = page.events.length >= deps.batchSize;
    if (!full && page.head !== null && comparePostgresPositions(page.head, position) > 0) position = page.head;
    if (signal.aborted) return;
    if (comparePostgresPositions(position, checkpointed) > 0) {
      checkpointed = position;
      yield { kind: 'checkpoint', position };
    }
    if (full) continue;
    if (!caughtUp) {
      caughtUp = true;
      yield { kind: 'caught-up', position };
    }
    await deps.notifier.waitForChange(seen, deps.pollIntervalMs, signal);
  }
}
