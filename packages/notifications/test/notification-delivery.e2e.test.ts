/**
 * The outbox end to end against a local receiver: projections write outbox rows in their batch
 * transaction, the worker delivers them signed, retries after a 500, keeps each lead's order with
 * several workers, and a rebuild or a replayed batch sends nothing new.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rebuildProjections, startProjections, type ProjectionsHandle } from '@recon/projections';
import type { Position } from '@recon/eventstore';
import { appendEvents, waitFor } from '@recon/testkit';
import type { OutboundPolicy } from '@recon/outbound';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  notificationOutbox,
  startNotificationWorker,
  type NotificationWorker,
  type NotificationsDatabase,
} from '../src/index';
import { NotificationScenario } from './testing/notification-scenario';
import {
  LOCAL_RECEIVERS,
  NOTIFY_SECRET,
  SECRET_KEY,
  setupDatabase,
  workspaceNotifyingTo,
  type TestContext,
} from './testing/notifications-test-context';
import { startReceiver, type Receiver } from './testing/receiver';

let t: TestContext;
let projections: ProjectionsHandle;
let receiver: Receiver;
const workers: NotificationWorker[] = [];

const fastWorker = { pollMs: 20, timeoutMs: 2_000, backoff: { baseMs: 20, maxMs: 200 } };

beforeAll(async () => {
  t = await setupDatabase('notification-delivery');
  receiver = await startReceiver();
  projections = startProjections({
    store: t.store,
    db: t.db,
    clock: () => new Date(),
    sideEffects: [notificationOutbox()],
    options: { lockPollMs: 50, idleMs: 5 },
  });
  startWorker();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await projections.stop();
  await receiver.close();
  await t.close();
});

function outbox(db: Kysely<NotificationsDatabase>) {
  return db.selectFrom('notification_outbox').selectAll();
}

async function settle(position: Position) {
  expect(await projections.waitUntilCaughtUp(position, { timeoutMs: 15_000 })).toMatchObject({ ok: true });
}

/** Every line the workers logged, to check that none carries a URL, secret or body. */
const logLines: string[] = [];
const capture = (level: string) => (obj: object, msg: string) =>
  void logLines.push(`${level} ${msg} ${JSON.stringify(obj)}`);
const log = { info: capture('info'), warn: capture('warn'), error: capture('error') };

function startWorker(
  options: Parameters<typeof startNotificationWorker>[0]['options'] = fastWorker,
  outboundPolicy: OutboundPolicy = LOCAL_RECEIVERS,
): NotificationWorker {
  const w = startNotificationWorker({
    db: t.db,
    secretKey: SECRET_KEY,
    outboundPolicy,
    log,
    options: { ...options, targetsTtlMs: 0 },
  });
  workers.push(w);
  return w;
}

describe('notification outbox and delivery', () => {
  it('writes one row per change in the batch transaction and delivers it signed, in order', async () => {
    const ws = await workspaceNotifyingTo(t.db, receiver.url);
    const quiet = await workspaceNotifyingTo(t.db, null);
    const s = new NotificationScenario(ws);
    const [booked, canceled] = s.bookThenCancel('L1', 'g1', 0);
    // One step per batch (a batch carries the net change of each lead: see notifications-from-changes).
    await settle(
      await appendEvents(t.store, [
        s.registered('L1'),
        new NotificationScenario(quiet).registered('Q1'),
        ...new NotificationScenario(quiet).bookThenCancel('Q1', 'q1', 0),
      ]),
    );
    await settle(await appendEvents(t.store, [booked!]));
    await settle(await appendEvents(t.store, [canceled!]));
    const rows = await outbox(t.outbox).where('workspace_id', 'in', [ws, quiet]).orderBy('seq').execute();
    // Registering a plain lead notifies nothing; the workspace without a notifyUrl gets no rows.
    expect(rows.map((r) => [r.workspace_id, r.type])).toEqual([
      [ws, 'lead.booking_state_changed'],
      [ws, 'lead.gate_changed'],
      [ws, 'lead.booking_state_changed'],
      [ws, 'task.opened'],
    ]);
    const bodies = rows.map((r) => JSON.parse(r.body) as { id: string; data: Record<string, unknown> });
    expect(bodies.map((b) => b.data)).toEqual([
      { before: 'unknown', after: 'booked' },
      {
        before: { mayEnroll: false, mustPause: false },
        after: { mayEnroll: false, mustPause: true, reason: 'booked' },
        bookingState: 'booked',
      },
      { before: 'booked', after: 'canceled' },
      { taskId: expect.any(String), kind: 'meeting-canceled', severity: 'red' },
    ]);
    expect(bodies.map((b) => b.id)).toEqual(rows.map((r) => r.id));

    await waitFor(() => rows.every((r) => receiver.accepted.has(r.id)), {
      timeoutMs: 10_000,
      description: 'all delivered',
    });
    const mine = receiver.requests.filter((r) => r.leadId === 'L1');
    expect(mine.every((r) => r.signatureValid)).toBe(true);
    expect(mine.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    // The receiver got exactly the stored bytes, and no PII field names travel.
    expect(mine.map((r) => r.body)).toEqual(rows.map((r) => r.body));
    expect(mine.map((r) => r.body).join('')).not.toMatch(/email|name|phone/i);
    await waitFor(
      async () =>
        (await outbox(t.outbox).where('workspace_id', '=', ws).where('status', '=', 'delivered').execute()).length ===
        4,
      { timeoutMs: 5_000, description: 'marked delivered' },
    );
  });

  it('retries after a 500 with the same id and body until the receiver accepts', async () => {
    const ws = await workspaceNotifyingTo(t.db, receiver.url);
    receiver.behaviour = ({ leadId, attempt }) => (leadId === 'R1' && attempt <= 2 ? 500 : 200);
    const s = new NotificationScenario(ws);
    await settle(
      await appendEvents(t.store, [
        s.registered('R1'),
        ...s.observe({ providerAppointmentId: 'r1', leadId: 'R1', providerUpdatedAt: new Date().toISOString() }),
      ]),
    );
    const rows = await outbox(t.outbox).where('workspace_id', '=', ws).orderBy('seq').execute();
    expect(rows).toHaveLength(2);
    await waitFor(
      async () =>
        (await outbox(t.outbox).where('workspace_id', '=', ws).where('status', '=', 'delivered').execute()).length ===
        2,
      { timeoutMs: 10_000, description: 'delivered after retries' },
    );
    const first = rows[0]!;
    const seen = receiver.requests.filter((r) => r.id === first.id);
    expect(seen.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(seen.map((r) => r.body)).size).toBe(1);
    const stored = await outbox(t.outbox).where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(stored.attempts).toBe(3);
    // The lead's second notification waited for the first one's success.
    const second = receiver.requests.findIndex((r) => r.id === rows[1]!.id);
    const firstOk = receiver.requests.findIndex((r) => r.id === first.id && r.status === 200);
    expect(second).toBeGreaterThan(firstOk);
    receiver.behaviour = () => 200;
  });

  it('keeps each lead in order with several workers while the receiver fails at random', async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    const ws = await workspaceNotifyingTo(t.db, receiver.url);
    const s = new NotificationScenario(ws);
    const events = [];
    for (let i = 0; i < 12; i += 1) {
      const lead = `M${i}`;
      events.push(
        s.registered(lead),
        ...s.bookThenCancel(lead, `m${i}a`, 0),
        ...s.observe({ providerAppointmentId: `m${i}b`, leadId: lead, providerUpdatedAt: new Date().toISOString() }),
      );
    }
    await settle(await appendEvents(t.store, events));
    const rows = await outbox(t.outbox).where('workspace_id', '=', ws).orderBy('seq').execute();
    expect(rows.length).toBeGreaterThanOrEqual(12 * 2);
    let n = 0;
    receiver.behaviour = ({ attempt }) => (attempt === 1 && n++ % 3 === 0 ? 500 : 200);
    const from = receiver.requests.length;
    for (let i = 0; i < 3; i += 1) startWorker({ ...fastWorker, concurrency: 4 });
    await waitFor(() => rows.every((r) => receiver.accepted.has(r.id)), {
      timeoutMs: 20_000,
      description: 'all delivered by 3 workers',
    });
    const seqOf = new Map(rows.map((r, i) => [r.id, i]));
    const acked = new Set<string>();
    for (const r of receiver.requests.slice(from)) {
      // When a lead's notification arrives, every earlier one of that lead was already accepted.
      const earlier = rows.filter((x) => x.lead_id === r.leadId && seqOf.get(x.id)! < seqOf.get(r.id)!);
      expect(earlier.filter((x) => !acked.has(x.id)).map((x) => x.id)).toEqual([]);
      if (r.status === 200) acked.add(r.id);
    }
    expect(receiver.duplicates).toBe(0);
    receiver.behaviour = () => 200;
    // Logs carry ids, attempts and codes: never the URL, the secret or a body.
    expect(logLines.some((l) => l.includes('notification attempt failed') && l.includes('HTTP_500'))).toBe(true);
    for (const line of logLines) {
      expect(line).not.toContain('127.0.0.1');
      expect(line).not.toContain(NOTIFY_SECRET);
      expect(line).not.toContain('"data"');
    }
  });

  it('times out a receiver that never answers and retries', async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    startWorker({ ...fastWorker, timeoutMs: 300 });
    const ws = await workspaceNotifyingTo(t.db, receiver.url);
    receiver.behaviour = ({ leadId, attempt }) => (leadId === 'T1' && attempt === 1 ? 'hang' : 200);
    const s = new NotificationScenario(ws);
    await settle(
      await appendEvents(t.store, [
        s.registered('T1'),
        ...s.observe({ providerAppointmentId: 't1', leadId: 'T1', providerUpdatedAt: new Date().toISOString() }),
      ]),
    );
    const first = await outbox(t.outbox).where('workspace_id', '=', ws).orderBy('seq').executeTakeFirstOrThrow();
    const row = await waitFor(
      async () => {
        const r = await outbox(t.outbox).where('id', '=', first.id).executeTakeFirstOrThrow();
        return r.status === 'delivered' ? r : null;
      },
      { timeoutMs: 10_000, description: 'delivered after a timeout' },
    );
    expect(row.attempts).toBe(2);
    expect(receiver.requests.filter((r) => r.id === first.id).map((r) => r.status)).toEqual([0, 200]);
    receiver.behaviour = () => 200;
    await waitFor(async () => (await outbox(t.outbox).where('status', '=', 'pending').execute()).length === 0, {
      timeoutMs: 10_000,
      description: 'nothing left pending',
    });
  });

  it('a rebuild and a replayed batch write no new rows and send nothing', async () => {
    const before = await sql<{ n: string }>`SELECT count(*) AS n FROM notification_outbox`.execute(t.db);
    const sent = receiver.requests.length;
    await projections.stop();
    const rebuilt = await rebuildProjections({ store: t.store, db: t.db });
    expect(rebuilt).toMatchObject({ ok: true });
    projections = startProjections({
      store: t.store,
      db: t.db,
      clock: () => new Date(),
      sideEffects: [notificationOutbox()],
      options: { lockPollMs: 50, idleMs: 5 },
    });
    const head = await t.store.headPosition();
    await settle(head);
    const after = await sql<{ n: string }>`SELECT count(*) AS n FROM notification_outbox`.execute(t.db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
    expect(receiver.requests.length).toBe(sent);
  });
});

describe('outbox writer', () => {
  it('writing the same batch twice keeps one row per notification', async () => {
    const ws = await workspaceNotifyingTo(t.db, 'http://127.0.0.1:9/never');
    const recordedAt = new Date();
    const events = [
      {
        recorded: {
          id: '00000000-0000-4000-8000-000000000001',
          type: 'LeadRegistered',
          streamName: 'x',
          revision: 0n,
          position: '1' as never,
          data: {},
          metadata: {},
          recordedAt,
        },
        event: new NotificationScenario(ws).registered('X1'),
      },
    ];
    const changes = [
      {
        kind: 'lead-changed' as const,
        workspaceId: ws,
        leadId: 'X1',
        before: null,
        after: { bookingState: 'booked', mayEnroll: false, mustPause: true },
      },
      {
        kind: 'task-opened' as const,
        workspaceId: ws,
        leadId: 'X1',
        taskId: 'task-1',
        taskKind: 'meeting-no-show',
        severity: 'yellow',
      },
    ];
    const effect = notificationOutbox();
    for (let i = 0; i < 2; i += 1) {
      await (t.db as unknown as Kysely<unknown>)
        .transaction()
        .execute((trx) => effect(trx, { projection: 'core', events, changes }));
    }
    const rows = await outbox(t.outbox).where('workspace_id', '=', ws).execute();
    // booking + gate; the yellow (no-show) task does not notify.
    expect(rows.map((r) => r.type).sort()).toEqual(['lead.booking_state_changed', 'lead.gate_changed']);
  });
});

// Last: the rows these leave pending are never delivered (other tests count what the receiver gets).
describe('notifications never post inward', () => {
  async function notifyOnce(ws: string, leadId: string): Promise<string> {
    const s = new NotificationScenario(ws);
    await settle(
      await appendEvents(t.store, [
        s.registered(leadId),
        ...s.observe({ providerAppointmentId: leadId, leadId, providerUpdatedAt: new Date().toISOString() }),
      ]),
    );
    const first = await outbox(t.outbox).where('workspace_id', '=', ws).orderBy('seq').executeTakeFirstOrThrow();
    return first.id;
  }
  const failedWith = (id: string) =>
    waitFor(
      async () => {
        const r = await outbox(t.outbox).where('id', '=', id).executeTakeFirstOrThrow();
        return r.attempts >= 1 && r.last_error !== null ? r : null;
      },
      { timeoutMs: 10_000, description: 'an attempt recorded' },
    );

  it('a strict worker (the default policy) does not reach a receiver on a private address: UNREACHABLE', async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    startWorker(fastWorker, { allowPrivate: false });
    const ws = await workspaceNotifyingTo(t.db, receiver.url);
    const id = await notifyOnce(ws, 'S1');
    const row = await failedWith(id);
    expect(row.status).toBe('pending');
    expect(row.last_error).toBe('UNREACHABLE');
    expect(row.last_http_status).toBeNull();
    expect(receiver.requests.some((r) => r.id === id)).toBe(false);
    // The log says why (a code), never the URL.
    const line = logLines.find((l) => l.includes(id) && l.includes('UNREACHABLE'));
    expect(line).toContain('OUTBOUND_URL_NOT_HTTPS');
    expect(line).not.toContain(receiver.url);
  });

  it('a redirect is not followed: HTTP_REDIRECT, the redirect target never gets the signed body', async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    startWorker();
    const redirector = createServer((_req, res) => {
      res.writeHead(307, { location: receiver.url });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const port = (redirector.address() as AddressInfo).port;
      const ws = await workspaceNotifyingTo(t.db, `http://127.0.0.1:${port}/hook`);
      const id = await notifyOnce(ws, 'R1');
      const row = await failedWith(id);
      expect(row.last_error).toBe('HTTP_REDIRECT');
      expect(receiver.requests.some((r) => r.id === id)).toBe(false);
    } finally {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await new Promise((resolve) => redirector.close(resolve));
    }
  });
});
