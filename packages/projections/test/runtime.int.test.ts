/**
 * The runner's guarantees: replayed batches change nothing, unmatched bookings get linked by the
 * process manager, rebuilds are blue/green and keep task resolutions, poison events become dead
 * letters (live) or fail the rebuild naming the event, and a second instance takes over the lock.
 */
import { followUpTaskId, type ReconEvent } from '@recon/domain';
import { START, type Position } from '@recon/eventstore';
import { waitFor } from '@recon/testkit';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreProjection } from '../src/core/core-projection';
import {
  findLeadByIdentity,
  getGates,
  getLead,
  listDeadLetters,
  listLeadsByState,
  listTasks,
  listUnmatchedAppointments,
  rebuildProjections,
  startProjections,
  type ProjectionsHandle,
} from '../src/index';
import { liveGeneration } from '../src/runtime/generations';
import { parseBatch } from '../src/runtime/parse-events';
import { snapshotViews } from './testing/snapshot';
import { Scenario } from '@recon/domain/testing';
import { appendEvents } from '@recon/testkit';
import { at, HASH_A, setupDatabase, type TestContext } from './testing/projections-test-context';

let t: TestContext;
let projections: ProjectionsHandle;
const clock = () => new Date('2030-06-10T00:00:00.000Z');

beforeAll(async () => {
  t = await setupDatabase('projection-runtime');
  projections = startProjections({
    store: t.store,
    db: t.db,
    clock,
    options: { lockPollMs: 50, idleMs: 5, maxAttempts: 2, retryBaseMs: 10, linkDispatchIntervalMs: 100 },
  });
});
afterAll(async () => {
  await projections.stop();
  await t.close();
});

async function settle(position: Position) {
  const r = await projections.waitUntilCaughtUp(position, { timeoutMs: 10_000 });
  expect(r).toMatchObject({ ok: true });
}

describe('projection runtime', () => {
  it('re-applying an already applied batch changes no row (position guard per row)', async () => {
    const s = new Scenario('ws-replay');
    const events: ReconEvent[] = [
      s.registered('L1'),
      s.sentiment('L1', 'Interested'),
      ...s.observe({ providerAppointmentId: 'g1', leadId: 'L1', providerUpdatedAt: at(1) }),
      ...s.observe({
        providerAppointmentId: 'g1',
        leadId: 'L1',
        status: 'canceled',
        providerUpdatedAt: at(2),
        observedAt: at(2),
      }),
    ];
    await settle(await appendEvents(t.store, events));
    // The same events appended again are the same ids: the store keeps one copy.
    await settle(await appendEvents(t.store, events));
    const before = await snapshotViews(t.db, { workspaceId: 'ws-replay' });
    const live = await liveGeneration(t.db as Kysely<unknown>, 'core');
    const recorded = (await t.store.readAll(START, 10_000)).events.filter((e) => e.streamName.includes('ws%2Dreplay'));
    expect(recorded).toHaveLength(events.length);
    await (t.db as Kysely<unknown>).transaction().execute((trx) =>
      coreProjection.applyBatch(trx, parseBatch(recorded, new Set()), {
        mode: 'live',
        schema: live?.schema ?? '',
        comparePositions: t.store.comparePositions,
        rulesFor: () => ({ bookedSentimentLabels: ['Meeting Booked'], autoCorrectSentiment: true }),
      }),
    );
    expect(await snapshotViews(t.db, { workspaceId: 'ws-replay' })).toEqual(before);
  });

  it('an unmatched booking is kept and listed, then linked when its lead registers', async () => {
    const s = new Scenario('ws-link');
    const booking = s
      .observe({ providerAppointmentId: 'g-unmatched', leadId: null, providerUpdatedAt: at(1) })
      .map((e) => ({ ...e, matchKeys: { inviteeEmailHash: HASH_A } }));
    await settle(await appendEvents(t.store, booking));
    const unmatched = await listUnmatchedAppointments(t.db, 'ws-link');
    expect(unmatched.ok && unmatched.value.items.map((a) => a.providerAppointmentId)).toEqual(['g-unmatched']);
    await appendEvents(t.store, [s.registered('L9', { emailHash: HASH_A })]);
    const lead = await waitFor(
      async () => {
        const l = await getLead(t.db, 'ws-link', 'L9', clock());
        return l?.state === 'booked' ? l : null;
      },
      { timeoutMs: 10_000, description: 'lead linked and booked' },
    );
    expect(lead.appointment?.providerAppointmentId).toBe('g-unmatched');
    const appt = await t.db
      .selectFrom('appointments')
      .selectAll()
      .where('workspace_id', '=', 'ws-link')
      .executeTakeFirstOrThrow();
    expect([appt.lead_id, appt.matched_by]).toEqual(['L9', 'email']);
    await waitFor(
      async () => {
        const stats = await t.db
          .selectFrom('workspace_stats')
          .selectAll()
          .where('workspace_id', '=', 'ws-link')
          .where('metric', '=', 'unmatched_bookings')
          .executeTakeFirst();
        return stats?.value === '0';
      },
      { timeoutMs: 5_000, description: 'unmatched count back to 0' },
    );
    const requests = await sql<{
      status: string;
    }>`SELECT status FROM projection_link_requests WHERE workspace_id = 'ws-link'`.execute(t.db);
    expect(requests.rows.map((r) => r.status)).toEqual(['done']);
    expect(await findLeadByIdentity(t.db, 'ws-link', { emailHashes: [HASH_A] })).toEqual({
      leadId: 'L9',
      matchedBy: 'email',
    });
    expect(
      await findLeadByIdentity(t.db, 'ws-link', { emailHashes: ['c'.repeat(64)], ghlContactId: 'nobody' }),
    ).toBeNull();
    const gates = await getGates(t.db, 'ws-link', ['L9', 'unknown-lead'], clock());
    expect([...gates.entries()]).toEqual([['L9', { mayEnroll: false, mustPause: true, reason: 'booked' }]]);
    const booked = await listLeadsByState(t.db, 'ws-link', { state: 'booked', now: clock() });
    expect(booked.ok && booked.value.items.map((l) => l.leadId)).toEqual(['L9']);
    const completed = await listLeadsByState(t.db, 'ws-link', {
      state: 'completed',
      now: new Date('2030-07-01T00:00:00.000Z'),
    });
    expect(completed.ok && completed.value.items.map((l) => [l.leadId, l.state, l.assumed])).toEqual([
      ['L9', 'completed', true],
    ]);
  });

  it('a rebuild switches generations blue/green, equals the live build and keeps task resolutions', async () => {
    const s = new Scenario('ws-rebuild');
    const taskId = followUpTaskId({
      workspaceId: 'ws-rebuild',
      leadId: 'L1',
      provider: 'ghl',
      providerAppointmentId: 'g1',
      kind: 'meeting-canceled',
    });
    await settle(
      await appendEvents(t.store, [
        s.registered('L1'),
        ...s.observe({ providerAppointmentId: 'g1', leadId: 'L1', providerUpdatedAt: at(1) }),
        ...s.observe({
          providerAppointmentId: 'g1',
          leadId: 'L1',
          status: 'canceled',
          providerUpdatedAt: at(2),
          observedAt: at(2),
        }),
        s.resolved('L1', taskId, at(3), 'called back'),
      ]),
    );
    const before = await snapshotViews(t.db);
    const generation = (await liveGeneration(t.db as Kysely<unknown>, 'core'))?.generation ?? 0;
    const progress: number[] = [];
    const result = await rebuildProjections({ store: t.store, db: t.db }, undefined, {
      pageSize: 7,
      onProgress: (p) => progress.push(p.eventsDone),
    });
    expect(result.ok).toBe(true);
    expect((await liveGeneration(t.db as Kysely<unknown>, 'core'))?.generation).toBe(generation + 1);
    expect(progress.length).toBeGreaterThan(1);
    expect(await snapshotViews(t.db)).toEqual(before);
    const tasks = await listTasks(t.db, 'ws-rebuild', {});
    expect(tasks.ok && tasks.value.items.map((x) => [x.id, x.status, x.note])).toEqual([
      [taskId, 'resolved', 'called back'],
    ]);
    const old = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM pg_namespace WHERE nspname = ${`rp_core_g${generation}`}`.execute(t.db);
    expect(old.rows[0]?.n).toBe('0');
    // The live runner carries on on the new generation.
    await settle(await appendEvents(t.store, [s.sentiment('L1', 'Interested', at(4))]));
    expect((await getLead(t.db, 'ws-rebuild', 'L1', clock()))?.sentiment?.label).toBe('Interested');
  });

  it('a poison event is dead-lettered and skipped live, and fails a rebuild naming it', async () => {
    const s = new Scenario('ws-poison');
    const bad = await t.store.append('appointment-ghl-ws%2Dpoison-bad', [
      { id: '00000000-0000-4000-8000-000000000001', type: 'AppointmentBooked', data: { workspaceId: 'ws-poison' } },
    ]);
    expect(bad.ok).toBe(true);
    await settle(await appendEvents(t.store, [s.registered('L1')]));
    const letters = (await listDeadLetters(t.db as Kysely<unknown>)).filter(
      (d) => d.eventId === '00000000-0000-4000-8000-000000000001',
    );
    expect(letters.map((d) => [d.projection, d.errorCode, d.status]).sort()).toEqual([
      ['core', 'EVENT_INVALID', 'skipped'],
      ['identities', 'EVENT_INVALID', 'skipped'],
    ]);
    expect(letters[0]?.attempts).toBe(2);
    expect((await getLead(t.db, 'ws-poison', 'L1', clock()))?.state).toBe('unknown');
    const status = await projections.status();
    expect(status.find((p) => p.name === 'core')).toMatchObject({
      deadLetters: { skipped: 1 },
      caughtUp: true,
      lagEvents: 0,
    });
    const rebuild = await rebuildProjections({ store: t.store, db: t.db }, ['core']);
    expect(rebuild).toMatchObject({
      ok: false,
      code: 'REBUILD_POISON_EVENT',
      eventId: '00000000-0000-4000-8000-000000000001',
      errorCode: 'EVENT_INVALID',
    });
    expect((await liveGeneration(t.db as Kysely<unknown>, 'core'))?.generation).toBeGreaterThan(0);
    expect((await getLead(t.db, 'ws-poison', 'L1', clock()))?.state).toBe('unknown');
    // Clean up so later files' rebuilds are not blocked: nothing else depends on this stream.
    await sql`DELETE FROM eventstore.events WHERE event_id = '00000000-0000-4000-8000-000000000001'`
      .execute(t.db)
      .catch(() => undefined);
  });

  it('a second instance waits for the lock and takes over when the first stops', async () => {
    const second = startProjections({ store: t.store, db: t.db, clock, options: { lockPollMs: 50, idleMs: 5 } });
    try {
      const s1 = await second.status();
      expect(s1.every((p) => !p.runningHere)).toBe(true);
      await projections.stop();
      await waitFor(async () => (await second.status()).every((p) => p.runningHere), {
        timeoutMs: 10_000,
        description: 'second instance leads',
      });
      const s = new Scenario('ws-takeover');
      const pos = await appendEvents(t.store, [s.registered('L1')]);
      expect((await second.waitUntilCaughtUp(pos, { timeoutMs: 10_000 })).ok).toBe(true);
      expect((await getLead(t.db, 'ws-takeover', 'L1', clock()))?.state).toBe('unknown');
    } finally {
      await second.stop();
      projections = startProjections({ store: t.store, db: t.db, clock, options: { lockPollMs: 50, idleMs: 5 } });
    }
  });
});
