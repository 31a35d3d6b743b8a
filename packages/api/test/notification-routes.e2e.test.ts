/**
 * The operator routes through the real app (buildApp: auth hook, route registry, uniform errors):
 * failed notifications listed with keyset paging, redeliver sends one again with the same id,
 * and the tenant rules (401 without a key, 403 for another workspace's key, 404 unknown ids).
 */
import {
  NotificationScenario,
  SECRET_KEY,
  setupDatabase,
  startReceiver,
  workspaceNotifyingTo,
  type Receiver,
  type TestContext,
} from '@recon/notifications/testing';
import { startProjections, type ProjectionsHandle } from '@recon/projections';
import { appendEvents, waitFor } from '@recon/testkit';
import { createApiKey } from '@recon/workspaces';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  notificationOutbox,
  notificationStats,
  startNotificationWorker,
  type NotificationWorker,
} from '@recon/notifications';
import { buildApp, routeRegistry, type ReconApp } from '../src/index';

const ADMIN = 'admin-token-for-notification-tests-0123456789';
let t: TestContext;
let app: ReconApp;
let receiver: Receiver;
let projections: ProjectionsHandle;
let worker: NotificationWorker;
let wsA: string;
let wsB: string;
let keyA: string;
let keyB: string;

interface Item {
  id: string;
  type: string;
  leadId: string;
  status: string;
  attempts: number;
  lastError: { code: string; httpStatus: number | null } | null;
  payload: { id: string; leadId: string };
}

beforeAll(async () => {
  t = await setupDatabase('notification-routes');
  receiver = await startReceiver(undefined, () => 500);
  wsA = await workspaceNotifyingTo(t.db, receiver.url);
  wsB = await workspaceNotifyingTo(t.db, receiver.url);
  keyA = (await createApiKey(t.db, { workspaceId: wsA, label: 'a', now: new Date() })).key;
  keyB = (await createApiKey(t.db, { workspaceId: wsB, label: 'b', now: new Date() })).key;
  // A short retry window: the always-500 receiver gets rows marked failed within the test.
  projections = startProjections({
    store: t.store,
    db: t.db,
    clock: () => new Date(),
    sideEffects: [notificationOutbox({ retryWindowMs: 400 })],
    options: { lockPollMs: 50, idleMs: 5 },
  });
  worker = startNotificationWorker({
    db: t.db,
    secretKey: SECRET_KEY,
    // The receiver listens on http://127.0.0.1: private addresses allowed, explicitly.
    outboundPolicy: { allowPrivate: true },
    options: { pollMs: 20, timeoutMs: 1_000, backoff: { baseMs: 50, maxMs: 100 }, targetsTtlMs: 0 },
  });
  app = await buildApp({
    db: t.db,
    store: t.store,
    config: { adminToken: ADMIN, secretKey: SECRET_KEY },
    routes: new Set(['notifications']),
    notifications: { retryWindowMs: 60_000, onRedeliver: () => worker.kick() },
  });
  await app.ready();
  const s = new NotificationScenario(wsA);
  const events = ['N1', 'N2', 'N3'].flatMap((lead, i) => [
    s.registered(lead),
    ...s.observe({ providerAppointmentId: `n${i}`, leadId: lead, providerUpdatedAt: new Date().toISOString() }),
  ]);
  expect(await projections.waitUntilCaughtUp(await appendEvents(t.store, events), { timeoutMs: 15_000 })).toMatchObject(
    { ok: true },
  );
  await waitFor(
    async () => {
      const left = await t.outbox
        .selectFrom('notification_outbox')
        .select('id')
        .where('workspace_id', '=', wsA)
        .where('status', '!=', 'failed')
        .execute();
      return left.length === 0;
    },
    { timeoutMs: 15_000, description: 'every notification failed after its window' },
  );
});
afterAll(async () => {
  await app.close();
  await worker.stop();
  await projections.stop();
  await receiver.close();
  await t.close();
});

function get(url: string, key: string | null) {
  return app.inject({ method: 'GET', url, headers: key === null ? {} : { authorization: `Bearer ${key}` } });
}

describe('notification routes', () => {
  it('are workspace routes in the registry', () => {
    const mine = routeRegistry(app).filter((r) => r.url.includes('/notifications'));
    expect(mine.map((r) => [r.method, r.url, r.auth])).toEqual([
      ['GET', '/v1/workspaces/:ws/notifications', 'workspace'],
      ['POST', '/v1/workspaces/:ws/notifications/:id/redeliver', 'workspace'],
    ]);
  });

  it('list failed notifications page by page with a stable cursor', async () => {
    const first = await get(`/v1/workspaces/${wsA}/notifications?status=failed&limit=4`, keyA);
    expect(first.statusCode).toBe(200);
    const p1 = first.json() as { items: Item[]; nextCursor: string | null };
    expect(p1.items).toHaveLength(4);
    expect(p1.nextCursor).not.toBeNull();
    const p2 = (
      await get(`/v1/workspaces/${wsA}/notifications?status=failed&limit=4&cursor=${p1.nextCursor}`, keyA)
    ).json() as { items: Item[]; nextCursor: string | null };
    expect(p2.items).toHaveLength(2);
    expect(p2.nextCursor).toBeNull();
    const all = [...p1.items, ...p2.items];
    expect(new Set(all.map((i) => i.id)).size).toBe(6);
    for (const i of all) {
      expect(i).toMatchObject({ status: 'failed', lastError: { code: 'HTTP_500', httpStatus: 500 } });
      expect(i.payload.id).toBe(i.id);
      expect(i.attempts).toBeGreaterThanOrEqual(1);
    }
    expect((await get(`/v1/workspaces/${wsA}/notifications?status=delivered`, keyA)).json()).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(
      ((await get(`/v1/workspaces/${wsA}/notifications?limit=200`, ADMIN)).json() as { items: Item[] }).items,
    ).toHaveLength(6);
    expect((await get(`/v1/workspaces/${wsB}/notifications`, keyB)).json()).toEqual({ items: [], nextCursor: null });
  });

  it('refuses missing keys, other workspaces, bad parameters and unknown ids with the uniform body', async () => {
    expect((await get(`/v1/workspaces/${wsA}/notifications`, null)).statusCode).toBe(401);
    const forbidden = await get(`/v1/workspaces/${wsA}/notifications`, keyB);
    expect([forbidden.statusCode, forbidden.json().error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await get('/v1/workspaces/ws_nope/notifications', ADMIN)).json().error.code).toBe('WORKSPACE_NOT_FOUND');
    expect((await get(`/v1/workspaces/${wsA}/notifications?status=lost`, keyA)).json().error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await get(`/v1/workspaces/${wsA}/notifications?limit=201`, keyA)).statusCode).toBe(400);
    const badCursor = await get(`/v1/workspaces/${wsA}/notifications?cursor=bm9wZQ`, keyA);
    expect([badCursor.statusCode, badCursor.json().error]).toEqual([
      400,
      {
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: [{ in: 'querystring', path: 'cursor', code: 'CURSOR_INVALID' }],
      },
    ]);
    const failed = (
      (await get(`/v1/workspaces/${wsA}/notifications?status=failed&limit=1`, keyA)).json() as { items: Item[] }
    ).items[0]!;
    for (const [ws, id, key] of [
      [wsA, 'not-a-uuid', keyA],
      [wsA, '00000000-0000-4000-8000-000000000000', keyA],
      [wsB, failed.id, keyB],
    ] as const) {
      const r = await app.inject({
        method: 'POST',
        url: `/v1/workspaces/${ws}/notifications/${id}/redeliver`,
        headers: { authorization: `Bearer ${key}` },
      });
      expect([r.statusCode, r.json().error.code]).toEqual([404, 'NOTIFICATION_NOT_FOUND']);
    }
    const cross = await app.inject({
      method: 'POST',
      url: `/v1/workspaces/${wsA}/notifications/${failed.id}/redeliver`,
      headers: { authorization: `Bearer ${keyB}` },
    });
    expect(cross.statusCode).toBe(403);
  });

  it('redeliver sends a failed notification again with the same id and it is delivered', async () => {
    receiver.behaviour = () => 200;
    const failed = ((await get(`/v1/workspaces/${wsA}/notifications?status=failed`, keyA)).json() as { items: Item[] })
      .items;
    const target = failed[0]!;
    const r = await app.inject({
      method: 'POST',
      url: `/v1/workspaces/${wsA}/notifications/${target.id}/redeliver`,
      headers: { authorization: `Bearer ${keyA}` },
    });
    expect(r.statusCode).toBe(202);
    expect(r.json()).toMatchObject({ id: target.id, status: 'pending', attempts: 0 });
    await waitFor(() => receiver.accepted.has(target.id), { timeoutMs: 10_000, description: 'redelivered' });
    const delivered = await waitFor(
      async () => {
        const page = (await get(`/v1/workspaces/${wsA}/notifications?status=delivered`, keyA)).json() as {
          items: Item[];
        };
        return page.items.length === 1 ? page.items : null;
      },
      { timeoutMs: 5_000, description: 'listed as delivered' },
    );
    expect(delivered.map((i) => [i.id, i.attempts, i.lastError])).toEqual([[target.id, 1, null]]);
    // Only the redelivered one went out; the others stay failed until someone asks.
    expect([...receiver.accepted.keys()]).toEqual([target.id]);
    expect(receiver.accepted.get(target.id)?.signatureValid).toBe(true);
    expect(await notificationStats(t.db as never, wsA)).toEqual({
      pending: 0,
      delivered: 1,
      failed: 5,
      oldestPendingSeconds: 0,
    });
    expect(await notificationStats(t.db as never, wsB)).toEqual({
      pending: 0,
      delivered: 0,
      failed: 0,
      oldestPendingSeconds: 0,
    });
  });
});
