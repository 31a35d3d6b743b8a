/**
 * Tells listening subscriptions (in any process) that events were appended: one
 * `pg_notify` after the append committed, coalesced so that concurrent appends share a notify
 * instead of queueing one each. Every append is followed by a notify that STARTS after its
 * commit, so no wake-up is lost. Not in the append transaction on purpose: NOTIFY takes a
 * database-wide lock held through commit, which serialises appending transactions. A failed
 * notify is ignored: subscriptions still poll.
 */
import type pg from 'pg';
import { APPEND_CHANNEL } from './append-notifier';

export interface AppendAnnouncer {
  /** Schedules a notify (does not wait for it). */
  announce(): void;
  /** Resolves when no notify is in flight or pending. */
  settled(): Promise<void>;
}

export function createAppendAnnouncer(pool: pg.Pool): AppendAnnouncer {
  let inFlight: Promise<void> | undefined;
  let pending = false;

  const send = (): Promise<void> =>
    pool.query("SELECT pg_notify($1, '')", [APPEND_CHANNEL]).then(
      () => undefined,
      () => undefined,
    );

  const run = async (): Promise<void> => {
    do {
      pending = false;
      await send();
    } while (pending);
    inFlight = undefined;
  };

  return {
    announce() {
      if (inFlight !== undefined) {
        pending = true;
        return;
      }
      inFlight = run();
    },
    async settled() {
      await inFlight;
    },
  };
}
