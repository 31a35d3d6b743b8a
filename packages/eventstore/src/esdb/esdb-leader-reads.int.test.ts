// Reads that precede a write, and the head position, go to the leader (issue 12, finding 5).
// Without `requiresLeader` the client keeps reading from the follower it is connected to, which
// may lag: a decider then sees an old stream (conflict loops) and read-your-writes an old head.
// The emulator's follower mode serves a frozen replica and answers NotLeader, with the leader's
// endpoint, to requests that require the leader.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../port';
import { startEsdbEmulator, type EsdbEmulator } from '../testing/esdb-emulator';
import { createEsdbEventStore } from './esdb-event-store';

describe('EventStoreDB reads before writes go to the leader', () => {
  let leader: EsdbEmulator;
  let follower: EsdbEmulator;
  let viaLeader: EventStore;
  beforeAll(async () => {
    leader = await startEsdbEmulator();
    follower = await startEsdbEmulator({ followerOf: leader });
    viaLeader = createEsdbEventStore({ connectionString: leader.connectionString });
  });
  afterAll(async () => {
    await viaLeader.close();
    await follower.stop();
    await leader.stop();
  });

  it('readStream and headPosition see the latest write although the connected node is a lagging follower', async () => {
    const viaFollower = createEsdbEventStore({ connectionString: follower.connectionString });
    try {
      const stream = `leader-${randomUUID()}`;
      follower.freezeReplication();
      const appended = await viaLeader.append(stream, [{ id: randomUUID(), type: 'Written', data: {} }], {
        expectedRevision: 'no_stream',
      });
      if (!appended.ok) throw new Error('append failed');
      expect((await viaFollower.readStream(stream)).map((e) => e.revision)).toEqual([0n]);
      expect(await viaFollower.headPosition()).toBe(appended.position);
      // The decider's next append with the revision it read succeeds (no conflict loop).
      expect(
        await viaFollower.append(stream, [{ id: randomUUID(), type: 'Next', data: {} }], { expectedRevision: 0n }),
      ).toMatchObject({ ok: true, nextExpectedRevision: 1n });
    } finally {
      follower.resumeReplication();
      await viaFollower.close();
    }
  });
});
