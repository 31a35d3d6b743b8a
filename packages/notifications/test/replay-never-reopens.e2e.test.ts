/**
 * Issue 18 §5's guarantee, end to end on real PostgreSQL with a real receiver: once a review task
 * is resolved and its notifications are delivered, nothing that re-reads history reopens the task
 * or sends anything again —
 * - a backfill that observes the same cancellation again decides no events (the domain's
 *   idempotence guard, as ingest's backfill runs it), and one that finds an older version of the
 *   booking records it as a historical fact, which moves nothing;
 * - the same events appended again (a retried write) are stored once;
 * - a live replay from the start of the log (checkpoints reset, the outbox side effect on);
 * - a blue/green rebuild of every projection.
 * After each: the task is still resolved, the outbox has the same rows, all delivered with their
 * attempts unchanged, and the receiver got no new request.
 */
import { followUpTaskId, type ReconEvent } from '@recon/domain';
import type { Position } from '@recon/eventstore';
import { rebuildProjections, startProjections, type ProjectionsHandle } from '@recon/projections';
import { appendEvents, waitFor } from '@recon/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationOutbox, startNotificationWorker, type NotificationWorker } from '../src/index';
import { at, NotificationScenario } from './testing/notification-scenario';
import {
  LOCAL_RECEIVERS,
  SECRET_KEY,
  setupDatabase,
  workspaceNotifyingTo,
  type TestContext,
} from './testing/notifications-test-context';
import { startReceiver, type Receiver } from './testing/receiver';

let t: TestContext;
let projections: ProjectionsHandle;
let receiver: Receiver;
let worker: NotificationWorker;

const start = () =>
  startProjections({
    store: t.store,
    db: t.db,
    clock: () => new Date(),
    sideEffects: [notificationOutbox()],
    options: { lockPollMs: 50, idleMs: 5 },
  });

beforeAll(async () => {
  t = await setupDatabase('replay-never-reopens');
  receiver = await startReceiver();
  projections = start();
  worker = startNotificationWorker({
    db: t.db,
    secretKey: SECRET_KEY,
    outboundPolicy: LOCAL_RECEIVERS,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    options: { pollMs: 20, timeoutMs: 2_000, backoff: { baseMs: 20, maxMs: 200 }, targetsTtlMs: 0 },
  });
});
afterAll(async () => {
  await worker?.stop();
  await projections?.stop();
  await receiver?.close();
  await t?.close();
});

async function settle(position?: Position) {
  expect(await projections.waitUntilCaughtUp(position, { timeoutMs: 15_000 })).toMatchObject({ ok: true });
}

async function outboxRows(ws: string) {
  const r = await sql<{ id: string; status: string; attempts: number }>`
    SELECT id, status, attempts FROM notification_outbox WHERE workspace_id = ${ws} ORDER BY seq`.execute(t.db);
  return r.rows;
}

async function tasks(ws: string) {
  const r = await sql<{ task_id: string; status: string; note: string | null }>`
    SELECT task_id, status, note FROM follow_up_tasks WHERE workspace_id = ${ws} ORDER BY task_id`.execute(t.db);
  return r.rows;
}

async function eventCount(): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*) AS n FROM eventstore.events`.execute(t.db);
  return Number(r.rows[0]?.n);
}

describe('a backfill or a replay never reopens a resolved task nor re-sends a delivered notification', () => {
  it('backfill, re-append, live replay from the start and a rebuild leave the task resolved and send nothing', async () => {
    const ws = await workspaceNotifyingTo(t.db, receiver.url);
    const s = new NotificationScenario(ws);
    const taskId = followUpTaskId({
      workspaceId: ws,
      leadId: 'L1',
      provider: 'ghl',
      providerAppointmentId: 'g1',
      kind: 'meeting-canceled',
    });
    const [booked, canceled] = s.bookThenCancel('L1', 'g1', 0);
    const history: ReconEvent[] = [s.registered('L1'), booked!, canceled!, s.resolved('L1', taskId, at(2), 'called')];
    for (const e of history) await settle(await appendEvents(t.store, [e]));

    const want = [{ task_id: taskId, status: 'resolved', note: 'called' }];
    expect(await tasks(ws)).toEqual(want);
    const delivered = await waitFor(
      async () => {
        const rows = await outboxRows(ws);
        return rows.length > 0 && rows.every((r) => r.status === 'delivered') ? rows : null;
      },
      { timeoutMs: 10_000, description: 'every notification delivered' },
    );
    // The task opened and the lead changed: notified; the resolution freed the gate: notified.
    expect(delivered.length).toBeGreaterThanOrEqual(4);
    const sent = receiver.requests.length;
    expect(receiver.accepted.size).toBe(delivered.length);

    const unchanged = async (step: string) => {
      expect(await tasks(ws), step).toEqual(want);
      expect(await outboxRows(ws), step).toEqual(delivered);
      expect(receiver.requests.length, step).toBe(sent);
      expect(receiver.duplicates, step).toBe(0);
    };

    // A backfill observes the same cancellation again, and an older version of the booking: nothing to decide.
    const again = s.observe({
      providerAppointmentId: 'g1',
      leadId: 'L1',
      status: 'canceled',
      source: 'backfill',
      providerUpdatedAt: (canceled!.data as { providerUpdatedAt: string }).providerUpdatedAt,
      observedAt: at(5),
    });
    const older = s.observe({
      providerAppointmentId: 'g1',
      leadId: 'L1',
      status: 'scheduled',
      source: 'backfill',
      providerUpdatedAt: at(-30),
      observedAt: at(5),
    });
    expect(again).toEqual([]);
    // The older version is kept as a historical fact (it never moves the appointment back): appended and projected.
    expect(older.map((e) => [e.type, (e.data as { historical?: boolean }).historical])).toEqual([
      ['AppointmentVersionObserved', true],
    ]);
    await settle(await appendEvents(t.store, older));
    await unchanged('backfill of an older version');
    history.push(...older);
    const storedEvents = await eventCount();

    // The same events written again (a retried append): stored once, nothing new to project.
    await settle(await appendEvents(t.store, history));
    expect(await eventCount()).toBe(storedEvents);
    await unchanged('re-append');

    // A live replay of the whole log with the outbox side effect on.
    const applied = async () =>
      Number(
        (await sql<{ n: string }>`SELECT sum(events_applied)::text AS n FROM projection_checkpoints`.execute(t.db))
          .rows[0]?.n,
      );
    const appliedBefore = await applied();
    await projections.stop();
    await sql`UPDATE projection_checkpoints SET position = 'start'`.execute(t.db);
    projections = start();
    await settle(await t.store.headPosition());
    expect(await applied()).toBeGreaterThan(appliedBefore); // the log was really read again
    await unchanged('live replay from the start');

    // A blue/green rebuild of every projection.
    await projections.stop();
    expect(await rebuildProjections({ store: t.store, db: t.db })).toMatchObject({ ok: true });
    projections = start();
    await settle(await t.store.headPosition());
    await unchanged('rebuild');

    // The worker is still alive and delivering: a new fact is sent (so "nothing sent" above meant something).
    await settle(await appendEvents(t.store, [s.sentiment('L1', 'Interested', at(6))]));
    const next = s.observe({
      providerAppointmentId: 'g2',
      leadId: 'L1',
      providerUpdatedAt: at(7),
      observedAt: at(7),
    });
    await settle(await appendEvents(t.store, next));
    await waitFor(() => receiver.requests.length > sent, { timeoutMs: 10_000, description: 'a new fact delivered' });
    expect(await tasks(ws)).toEqual(want);
  });
});
