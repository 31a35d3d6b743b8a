/**
 * Runs a read on the cluster leader. Reads that precede a write (a decider's stream read) and the
 * head position pass `requiresLeader`; a follower answers NotLeader with the leader's endpoint,
 * the client reconnects there, and the read is tried again. Without it the client would keep
 * reading a follower that may lag (stale revisions → conflict loops, a stale head →
 * read-your-writes that waits on an old position).
 */
import { NotLeaderError } from '@eventstore/db-client';

const ATTEMPTS = 5;

export async function onLeader<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof NotLeaderError) || attempt >= ATTEMPTS) throw error;
      // The client switches its channel to the leader asynchronously; let that happen first.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
