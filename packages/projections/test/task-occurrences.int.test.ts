/**
 * Review tasks per occurrence, through the live core projection on a real PostgreSQL store:
 * a cancellation (or a reschedule) after a resolution opens a new red task and the gate follows
 * the latest occurrence; a no-show task closes when its no-show is retracted.
 */
import { followUpTaskId } from '@recon/domain';
import type { Position } from '@recon/eventstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getGate, listTasks, startProjections, type ProjectionsHandle } from '../src/index';
import { Scenario } from '@recon/domain/testing';
import { appendEvents } from '@recon/testkit';
import { at, setupDatabase, type TestContext } from './testing/projections-test-context';

let t: TestContext;
let projections: ProjectionsHandle;
const now = () => new Date('2030-06-10T00:00:00.000Z');

beforeAll(async () => {
  t = await setupDatabase('task-occurrences');
  projections = startProjections({ store: t.store, db: t.db, clock: now, options: { lockPollMs: 50, idleMs: 5 } });
});
afterAll(async () => {
  await projections.stop();
  await t.close();
});

async function settle(position: Position) {
  expect((await projections.waitUntilCaughtUp(position, { timeoutMs: 10_000 })).ok).toBe(true);
}

async function tasksOf(ws: string) {
  const page = await listTasks(t.db, ws, {});
  if (!page.ok) throw new Error(page.code);
  return page.value.items.map((x) => ({ id: x.id, kind: x.kind, severity: x.severity, status: x.status }));
}

describe('review tasks per occurrence', () => {
  it('given a GHL appointment canceled, resolved, rebooked under the same id and canceled again, then a new red task is open and the gate holds', async () => {
    const ws = 'ws-occ-cancel';
    const s = new Scenario(ws);
    const g = { providerAppointmentId: 'g1', leadId: 'L1' };
    const first = followUpTaskId({
      workspaceId: ws,
      leadId: 'L1',
      provider: 'ghl',
      providerAppointmentId: 'g1',
      kind: 'meeting-canceled',
    });
    await settle(
      await appendEvents(t.store, [
        s.registered('L1'),
        ...s.observe({ ...g, providerUpdatedAt: at(1), observedAt: at(1) }),
        ...s.observe({ ...g, status: 'canceled', providerUpdatedAt: at(2), observedAt: at(2) }),
        s.resolved('L1', first, at(3), 'called'),
      ]),
    );
    expect((await getGate(t.db, ws, 'L1', now()))?.reason).toBe('canceled_reviewed');

    await settle(
      await appendEvents(t.store, [
        ...s.observe({ ...g, providerUpdatedAt: at(4), observedAt: at(4) }),
        ...s.observe({ ...g, status: 'canceled', providerUpdatedAt: at(5), observedAt: at(5) }),
      ]),
    );
    const tasks = await tasksOf(ws);
    const second = followUpTaskId({
      workspaceId: ws,
      leadId: 'L1',
      provider: 'ghl',
      providerAppointmentId: 'g1',
      kind: 'meeting-canceled',
      occurrence: 1,
    });
    expect(tasks).toEqual(
      expect.arrayContaining([
        { id: first, kind: 'meeting-canceled', severity: 'red', status: 'resolved' },
        { id: second, kind: 'meeting-canceled', severity: 'red', status: 'open' },
      ]),
    );
    expect(tasks).toHaveLength(2);
    expect(await getGate(t.db, ws, 'L1', now())).toMatchObject({
      mayEnroll: false,
      mustPause: true,
      reason: 'canceled_needs_review',
    });
  });

  it('given a GHL reschedule resolved, then a second reschedule opens a new red task', async () => {
    const ws = 'ws-occ-move';
    const s = new Scenario(ws);
    const g = { providerAppointmentId: 'g1', leadId: 'L1' };
    const slot = (day: number) => ({ startAt: `2030-06-${day}T15:00:00.000Z`, endAt: `2030-06-${day}T15:30:00.000Z` });
    const first = followUpTaskId({
      workspaceId: ws,
      leadId: 'L1',
      provider: 'ghl',
      providerAppointmentId: 'g1',
      kind: 'meeting-rescheduled',
    });
    await settle(
      await appendEvents(t.store, [
        s.registered('L1'),
        ...s.observe({ ...g, ...slot(18), providerUpdatedAt: at(1), observedAt: at(1) }),
        ...s.observe({ ...g, ...slot(19), providerUpdatedAt: at(2), observedAt: at(2) }),
        s.resolved('L1', first, at(3)),
        ...s.observe({ ...g, ...slot(20), providerUpdatedAt: at(4), observedAt: at(4) }),
      ]),
    );
    const open = (await tasksOf(ws)).filter((x) => x.status === 'open');
    expect(open).toEqual([
      {
        id: followUpTaskId({
          workspaceId: ws,
          leadId: 'L1',
          provider: 'ghl',
          providerAppointmentId: 'g1',
          kind: 'meeting-rescheduled',
          occurrence: 1,
        }),
        kind: 'meeting-rescheduled',
        severity: 'red',
        status: 'open',
      },
    ]);
  });

  it('given a no-show retracted by the provider (attended), then its amber task is closed by recon; a new mark reopens it', async () => {
    const ws = 'ws-occ-noshow';
    const s = new Scenario(ws);
    const g = { providerAppointmentId: 'g1', leadId: 'L1' };
    await settle(
      await appendEvents(t.store, [
        s.registered('L1'),
        ...s.observe({ ...g, providerUpdatedAt: at(1), observedAt: at(1) }),
        ...s.observe({ ...g, status: 'no_show', providerUpdatedAt: at(2), observedAt: at(2) }),
        ...s.observe({ ...g, status: 'showed', providerUpdatedAt: at(3), observedAt: at(3) }),
      ]),
    );
    expect((await tasksOf(ws)).map((x) => [x.kind, x.status])).toEqual([['meeting-no-show', 'resolved']]);
    const closed = await listTasks(t.db, ws, {});
    expect(closed.ok && closed.value.items[0]).toMatchObject({ resolvedBy: 'recon', note: 'NO_SHOW_ENDED' });
    await settle(
      await appendEvents(t.store, s.observe({ ...g, status: 'no_show', providerUpdatedAt: at(4), observedAt: at(4) })),
    );
    expect((await tasksOf(ws)).filter((x) => x.status === 'open').map((x) => x.kind)).toEqual(['meeting-no-show']);
    expect((await getGate(t.db, ws, 'L1', now()))?.reason).toBe('no_show_needs_review');
  });
});
