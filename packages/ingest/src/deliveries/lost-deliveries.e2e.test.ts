/**
 * Issue 18 §4's scenario: Calendly deliveries over real HTTP to the webhook route, some dropped,
 * then one poll (the scheduler's tick against the simulator). The lost count equals the number of
 * dropped webhooks; every delivery that arrived — including one that arrived after the poll had
 * already found its fact — counts as received, never lost; the grace period holds lost ones as
 * pending until it has passed.
 */
import type { FastifyInstance } from 'fastify';
import { startProjections, type ProjectionsHandle } from '@recon/projections';
import type { CalendlyDemoBooking } from '@recon/simulators';
import { putWorkspaceSettings } from '@recon/workspaces';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareApp, testSendError } from '../reconcile/testing/bare-app';
import { deliverCalendly } from '../reconcile/testing/deliver-calendly';
import { startHarness, type Harness } from '../reconcile/testing/reconcile-harness';
import { runReconcileTick } from '../scheduler/run-reconcile-tick';
import { webhookRoutes } from '../webhooks/webhook-routes';
import { startAutoBackfill } from './auto-backfill';
import { getDeliveryCounts } from './delivery-counts';
import { providerHealthRoute } from './provider-health-route';

let h: Harness;
let projections: ProjectionsHandle;
let app: FastifyInstance;
let url = '';
let healthApp: FastifyInstance;
let healthUrl = '';

async function setGrace(workspaceId: string, minutes: number): Promise<void> {
  await putWorkspaceSettings(h.db, h.deps.secretBox, {
    workspaceId,
    settings: { lostDeliveryGraceMinutes: minutes },
    now: new Date(),
  });
}

beforeAll(async () => {
  h = await startHarness({ name: 'lost-deliveries' });
  projections = startProjections({ store: h.store, db: h.db, clock: () => new Date() });
  const deps = { ...h.deps, sendError: testSendError };
  ({ app, url } = await bareApp(async (a) => {
    await a.register(webhookRoutes, deps);
  }));
  ({ app: healthApp, url: healthUrl } = await bareApp(
    providerHealthRoute({ reconcile: h.deps, sendError: testSendError }),
  ));
});
afterAll(async () => {
  await app?.close();
  await healthApp?.close();
  await projections?.stop();
  await h?.close();
});

const caughtUp = async () =>
  expect((await projections.waitUntilCaughtUp(undefined, { timeoutMs: 15_000 })).ok).toBe(true);

const deliver = (ws: string, kind: 'invitee.created' | 'invitee.canceled', b: CalendlyDemoBooking, atMs: number) =>
  deliverCalendly(url, ws, kind, b, atMs);

describe('lost deliveries', () => {
  it('counts exactly the dropped webhooks as lost; arrived ones (late too) as received', async () => {
    const ws = await h.createWorkspace({ name: 'Lossy', ghl: false });
    const t0 = Date.now() - 60 * 60_000;
    const bookings: CalendlyDemoBooking[] = [];
    for (let i = 0; i < 11; i++) {
      const email = `lossy-${i}@example.com`;
      const createdMs = t0 + i * 60_000;
      const startMs = Date.now() + (i + 2) * 86_400_000;
      const sim = h.calendly.addBooking({
        organizationUri: ws.organizationUri,
        email,
        startTime: startMs,
        at: createdMs,
      });
      bookings.push({ ...sim, email, startMs, endMs: startMs + 30 * 60_000, createdMs });
    }
    // Creations: 0..6 delivered, 7..9 dropped, 10 dropped now and delivered after the poll.
    for (const i of [0, 1, 2, 3, 4, 5, 6])
      await deliver(ws.id, 'invitee.created', bookings[i]!, bookings[i]!.createdMs);
    // Cancellations: 1 delivered, 2 dropped.
    const cancelAt = t0 + 30 * 60_000;
    for (const i of [1, 2]) h.calendly.cancelInvitee(bookings[i]!.inviteeUri, { at: cancelAt });
    await deliver(ws.id, 'invitee.canceled', bookings[1]!, cancelAt);
    const dropped = 3 + 1;
    const arrived = 7 + 1;

    await runReconcileTick(h.deps, { workspaceIds: [ws.id] });
    await deliver(ws.id, 'invitee.created', bookings[10]!, bookings[10]!.createdMs); // late, after the poll
    await caughtUp();

    const now = new Date();
    expect(await getDeliveryCounts(h.db, { workspaceId: ws.id, now, graceMinutes: 0 })).toEqual({
      calendly: {
        received: arrived + 1,
        lost: dropped,
        recovered: dropped + 1,
        pending: 0,
        lostLast24h: dropped,
        receivedLast24h: arrived + 1,
      },
    });
    // The provider's health says so too, and Calendly's disabled subscription is reported.
    const sub = h.calendly.addWebhookSubscription({
      organizationUri: ws.organizationUri,
      callbackUrl: `https://recon.example.com/webhooks/calendly/${ws.id}`,
    });
    h.calendly.setWebhookSubscriptionState(sub, 'disabled');
    await setGrace(ws.id, 0);
    const health = await fetch(`${healthUrl}/v1/workspaces/${ws.id}/providers/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { providers: Record<string, unknown>[] };
    expect(body.providers).toHaveLength(1);
    expect(body.providers[0]).toMatchObject({
      provider: 'calendly',
      lostLast24h: dropped,
      receivedLast24h: arrived + 1,
      deliveries: { received: arrived + 1, lost: dropped, recovered: dropped + 1, pending: 0 },
      webhookSubscription: { state: 'disabled', subscriptions: 1 },
      healthy: false,
      reasons: ['lost_share', 'subscription_disabled'],
    });
    expect(body.providers[0]?.['lastWebhookAt']).not.toBeNull();
    expect(body.providers[0]?.['lastSuccessfulPollAt']).not.toBeNull();
    // Unhealthy: recon starts one bounded backfill for the provider by itself, once, and says so.
    const started = await startAutoBackfill(h.deps, ws.id);
    expect(started).toMatchObject({ workspaceId: ws.id, provider: 'calendly' });
    expect(await startAutoBackfill(h.deps, ws.id)).toBeNull();
    const after = (await (await fetch(`${healthUrl}/v1/workspaces/${ws.id}/providers/health`)).json()) as {
      providers: { autoBackfill: Record<string, unknown> | null }[];
    };
    // The subscription state is reused for a few minutes: the second health read asked Calendly nothing.
    expect(h.calendly.server.requests.filter((q) => q.path.startsWith('/webhook_subscriptions'))).toHaveLength(1);
    const auto = after.providers[0]?.autoBackfill;
    expect(auto).toMatchObject({ jobId: started?.jobId, reasons: ['lost_share', 'subscription_disabled'] });
    expect(['queued', 'running', 'completed']).toContain(auto?.['status']);
    const days = (Date.parse(String(auto?.['to'])) - Date.parse(String(auto?.['from']))) / 86_400_000;
    expect(days).toBe(67);
    // Within the grace period (the latest dropped fact is 30 min old) nothing is lost yet.
    expect(await getDeliveryCounts(h.db, { workspaceId: ws.id, now, graceMinutes: 120 })).toMatchObject({
      calendly: { received: arrived + 1, lost: 0, pending: dropped },
    });
  });

  it('a workspace that never got a webhook counts no deliveries (polled history is not lost)', async () => {
    const ws = await h.createWorkspace({ name: 'PollOnly', ghl: false });
    h.calendly.addBooking({
      organizationUri: ws.organizationUri,
      email: 'poll-only@example.com',
      startTime: Date.now() + 86_400_000,
    });
    await runReconcileTick(h.deps, { workspaceIds: [ws.id] });
    await caughtUp();
    expect(await getDeliveryCounts(h.db, { workspaceId: ws.id, now: new Date(), graceMinutes: 0 })).toEqual({});
  });
});
