/**
 * Given events → rows, for every core read model and domain rule, through the live runner on a
 * real PostgreSQL event store.
 */
import { followUpTaskId } from '@recon/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getGate,
  getLead,
  getLeadAppointments,
  getStats,
  lastProviderCheckAt,
  listLeadsByState,
  listMismatches,
  listTasks,
  startProjections,
  type ProjectionsHandle,
} from '../src/index';
import type { Position } from '@recon/eventstore';
import { Scenario } from '@recon/domain/testing';
import { appendEvents } from '@recon/testkit';
import { at, setupDatabase, type TestContext } from './testing/projections-test-context';

let t: TestContext;
let projections: ProjectionsHandle;
const now = () => new Date('2030-06-10T00:00:00.000Z');

beforeAll(async () => {
  t = await setupDatabase('core-projection');
  projections = startProjections({ store: t.store, db: t.db, clock: now, options: { lockPollMs: 50, idleMs: 5 } });
});
afterAll(async () => {
  await projections.stop();
  await t.close();
});

/** Waits for the projections to pass `position` (the append's: the store's head may lag behind a fresh commit). */
async function settle(position: Position) {
  const r = await projections.waitUntilCaughtUp(position, { timeoutMs: 10_000 });
  expect(r.ok).toBe(true);
}

describe('core projection', () => {
  it('a GHL booking makes the lead booked, with appointment, history, gate and stats', async () => {
    const s = new Scenario('ws-book');
    await settle(
      await appendEvents(t.store, [
        s.registered('L1'),
        ...s.observe({ providerAppointmentId: 'g1', leadId: 'L1', providerUpdatedAt: at(0) }),
      ]),
    );
    const lead = await getLead(t.db, 'ws-book', 'L1', now());
    expect(lead?.state).toBe('booked');
    expect(lead?.assumed).toBe(false);
    expect(lead?.appointment).toMatchObject({ provider: 'ghl', providerAppointmentId: 'g1', status: 'scheduled' });
    expect(lead?.gate).toEqual({ mayEnroll: false, mustPause: true, reason: 'booked' });
    expect(lead?.mismatches).toEqual([{ kind: 'evidence_not_marked_booked', since: expect.any(String) }]);
    const appts = await getLeadAppointments(t.db, 'ws-book', 'L1');
    expect(appts).toHaveLength(1);
    expect(appts[0]?.history.map((h) => h.eventType)).toEqual(['AppointmentBooked']);
    const stats = await getStats(t.db, 'ws-book', now());
    expect(stats.leadsByState['booked']).toBe(1);
    expect(stats.unknownLeads).toBe(0);
    // After the meeting's end the same row reads completed, assumed: computed at read time.
    const later = new Date('2030-06-19T00:00:00.000Z');
    expect((await getLead(t.db, 'ws-book', 'L1', later))?.state).toBe('completed');
    expect((await getLead(t.db, 'ws-book', 'L1', later))?.assumed).toBe(true);
    expect((await getGate(t.db, 'ws-book', 'L1', later))?.reason).toBe('completed');
    expect((await getStats(t.db, 'ws-book', later)).leadsByState['completed']).toBe(1);
  });

  it('sentiment booked without evidence opens a mismatch that closes when the booking shows up', async () => {
    const s = new Scenario('ws-mm');
    await settle(
      await appendEvents(t.store, [
        s.registered('L1'),
        s.sentiment('L1', 'meeting booked', at(1)),
        s.checked('L1', 'ghl', { kind: 'none' }, at(2)),
      ]),
    );
    let page = await listMismatches(t.db, 'ws-mm', { kind: 'sentiment_booked_no_evidence' });
    expect(page.ok && page.value.items.map((m) => m.leadId)).toEqual(['L1']);
    expect((await getLead(t.db, 'ws-mm', 'L1', now()))?.state).toBe('not_booked');
    await settle(
      await appendEvents(
        t.store,
        s.observe({ providerAppointmentId: 'g2', leadId: 'L1', observedAt: at(3), providerUpdatedAt: at(3) }),
      ),
    );
    page = await listMismatches(t.db, 'ws-mm', {});
    expect(page.ok && page.value.items).toEqual([]);
    const closed = await t.db.selectFrom('mismatches').selectAll().where('workspace_id', '=', 'ws-mm').execute();
    expect(closed.map((r) => [r.kind, r.status, r.resolution])).toEqual([
      ['sentiment_booked_no_evidence', 'closed', 'EVIDENCE_CHANGED'],
    ]);
    const stats = await getStats(t.db, 'ws-mm', now());
    expect(stats.openMismatchesByKind['sentiment_booked_no_evidence']).toBe(0);
  });

  it('cancel then rebook: canceled_but_booked_status and a red task, then booked again with the task kept', async () => {
    const s = new Scenario('ws-cancel');
    await settle(
      await appendEvents(t.store, [
        s.registered('L1'),
        s.sentiment('L1', 'Meeting Booked'),
        ...s.observe({ providerAppointmentId: 'g1', leadId: 'L1', providerUpdatedAt: at(1), observedAt: at(1) }),
        ...s.observe({
          providerAppointmentId: 'g1',
          leadId: 'L1',
          status: 'canceled',
          providerUpdatedAt: at(2),
          observedAt: at(2),
        }),
      ]),
    );
    expect((await getLead(t.db, 'ws-cancel', 'L1', now()))?.state).toBe('canceled');
    const mm = await listMismatches(t.db, 'ws-cancel', {});
    expect(mm.ok && mm.value.items.map((m) => m.kind)).toEqual(['canceled_but_booked_status']);
    const tasks = await listTasks(t.db, 'ws-cancel', { status: 'open' });
    expect(tasks.ok && tasks.value.items.map((x) => [x.kind, x.severity])).toEqual([['meeting-canceled', 'red']]);
    await settle(
      await appendEvents(
        t.store,
        s.observe({ providerAppointmentId: 'g2', leadId: 'L1', providerUpdatedAt: at(3), observedAt: at(3) }),
      ),
    );
    const lead = await getLead(t.db, 'ws-cancel', 'L1', now());
    expect(lead?.state).toBe('booked');
    expect(lead?.mismatches).toEqual([]);
    expect(lead?.openTasks.map((x) => x.kind)).toEqual(['meeting-canceled']);
    const row = await t.db
      .selectFrom('lead_lifecycle')
      .selectAll()
      .where('workspace_id', '=', 'ws-cancel')
      .executeTakeFirstOrThrow();
    expect([row.bookings, row.cancellations]).toEqual([2, 1]);
  });

  for (const order of ['old-first', 'new-first'] as const) {
    it(`Calendly reschedule delivered ${order}: never canceled, chain kept, one red task`, async () => {
      const ws = `ws-resched-${order}`;
      const s = new Scenario(ws);
      const OLD = 'https://api.calendly.com/scheduled_events/E1/invitees/OLD';
      const NEW = 'https://api.calendly.com/scheduled_events/E2/invitees/NEW';
      const booked = s.observe({
        provider: 'calendly',
        providerAppointmentId: OLD,
        leadId: 'L1',
        providerUpdatedAt: at(0),
      });
      const oldCanceled = s.observe({
        provider: 'calendly',
        providerAppointmentId: OLD,
        leadId: 'L1',
        status: 'canceled',
        rescheduledTo: NEW,
        providerUpdatedAt: at(5),
        observedAt: at(5),
      });
      const newBooked = s.observe({
        provider: 'calendly',
        providerAppointmentId: NEW,
        leadId: 'L1',
        rescheduledFrom: OLD,
        providerUpdatedAt: at(5),
        observedAt: at(6),
        startAt: '2030-06-19T15:00:00.000Z',
        endAt: '2030-06-19T15:30:00.000Z',
      });
      await settle(await appendEvents(t.store, [s.registered('L1'), s.sentiment('L1', 'Meeting Booked'), ...booked]));
      const pair = order === 'old-first' ? [oldCanceled, newBooked] : [newBooked, oldCanceled];
      for (const events of pair) {
        await settle(await appendEvents(t.store, events));
        expect((await getLead(t.db, ws, 'L1', now()))?.state).toBe('booked');
      }
      const lead = await getLead(t.db, ws, 'L1', now());
      expect(lead?.appointment?.providerAppointmentId).toBe(NEW);
      const appts = await getLeadAppointments(t.db, ws, 'L1');
      const byId = new Map(appts.map((a) => [a.providerAppointmentId, a]));
      expect(byId.get(OLD)).toMatchObject({ status: 'replaced', rescheduledTo: NEW });
      expect(byId.get(NEW)).toMatchObject({ status: 'scheduled', rescheduledFrom: OLD });
      const tasks = await listTasks(t.db, ws, {});
      expect(tasks.ok && tasks.value.items.map((x) => [x.kind, x.severity, x.appointmentId, x.createdAt])).toEqual([
        ['meeting-rescheduled', 'red', OLD, at(5)],
      ]);
    });
  }

  it('a resolved task stays resolved, also when the resolution arrives first', async () => {
    const s = new Scenario('ws-task');
    const taskId = followUpTaskId({
      workspaceId: 'ws-task',
      leadId: 'L1',
      provider: 'ghl',
      providerAppointmentId: 'g1',
      kind: 'meeting-no-show',
    });
    await settle(
      await appendEvents(t.store, [
        s.registered('L1'),
        s.resolved('L1', taskId, at(9), 'called'),
        ...s.observe({ providerAppointmentId: 'g1', leadId: 'L1', providerUpdatedAt: at(1), observedAt: at(1) }),
        ...s.observe({
          providerAppointmentId: 'g1',
          leadId: 'L1',
          status: 'no_show',
          providerUpdatedAt: at(2),
          observedAt: at(2),
        }),
      ]),
    );
    const tasks = await listTasks(t.db, 'ws-task', {});
    expect(tasks.ok && tasks.value.items.map((x) => [x.id, x.kind, x.severity, x.status, x.note])).toEqual([
      [taskId, 'meeting-no-show', 'amber', 'resolved', 'called'],
    ]);
    expect((await getStats(t.db, 'ws-task', now())).openTasks).toBe(0);
  });

  it('keyset pages walk every open mismatch exactly once', async () => {
    const s = new Scenario('ws-page');
    const events = [];
    for (let i = 0; i < 23; i += 1) {
      const lead = `L${String(i).padStart(2, '0')}`;
      events.push(
        s.registered(lead),
        s.sentiment(lead, 'Meeting Booked', at(i % 5)),
        s.checked(lead, 'calendly', { kind: 'none' }, at(10)),
      );
    }
    await settle(await appendEvents(t.store, events));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const page = await listMismatches(t.db, 'ws-page', { limit: 5, cursor });
      if (!page.ok) throw new Error(page.code);
      seen.push(...page.value.items.map((m) => m.leadId));
      cursor = page.value.nextCursor;
      if (cursor === null) break;
    }
    expect(seen.sort()).toEqual(
      events
        .filter((e) => e.type === 'LeadRegistered')
        .map((e) => e.data.leadId)
        .sort(),
    );
    expect((await listMismatches(t.db, 'ws-page', { cursor: 'garbage' })).ok).toBe(false);
  });
  it('provider checks are rows keyed by provider: the lead lists the latest check of each, stats the latest of any', async () => {
    const s = new Scenario('ws-checks');
    await settle(
      await appendEvents(t.store, [
        s.registered('L1'),
        s.checked('L1', 'calendly', { kind: 'failed', code: 'PROVIDER_TIMEOUT' }, at(1)),
        s.checked('L1', 'ghl', { kind: 'none' }, at(2)),
        s.checked('L1', 'ghl', { kind: 'found', count: 1 }, at(3)),
        s.registered('L2'),
      ]),
    );
    const rows = await t.db
      .selectFrom('lead_provider_checks')
      .select(['lead_id', 'provider', 'checked_at', 'outcome'])
      .where('workspace_id', '=', 'ws-checks')
      .orderBy('provider')
      .execute();
    expect(rows.map((r) => [r.lead_id, r.provider, r.checked_at.toISOString(), r.outcome])).toEqual([
      ['L1', 'calendly', at(1), { kind: 'failed', code: 'PROVIDER_TIMEOUT' }],
      ['L1', 'ghl', at(3), { kind: 'found', count: 1 }],
    ]);
    const lead = await getLead(t.db, 'ws-checks', 'L1', now());
    // The API order is the registry's (ghl before calendly), whatever order the checks happened in.
    expect(lead?.checks).toEqual([
      { provider: 'ghl', checkedAt: at(3), outcome: { kind: 'found', count: 1 } },
      { provider: 'calendly', checkedAt: at(1), outcome: { kind: 'failed', code: 'PROVIDER_TIMEOUT' } },
    ]);
    expect((await getLead(t.db, 'ws-checks', 'L2', now()))?.checks).toEqual([]);
    const page = await listLeadsByState(t.db, 'ws-checks', { state: 'unknown', now: now() });
    expect(page.ok && page.value.items.map((l) => [l.leadId, l.checks.map((c) => c.provider)])).toEqual([
      ['L1', ['ghl', 'calendly']],
      ['L2', []],
    ]);
    expect(await lastProviderCheckAt(t.db, 'ws-checks')).toBe(at(3));
    expect(await lastProviderCheckAt(t.db, 'ws-none')).toBeNull();
  });
});
