/**
 * The reconciler finds Cal.com bookings through the registry only: a workspace configured for
 * Cal.com (pointed at the simulator), `POST /v1/workspaces/:ws/leads/:leadId/check` over real HTTP,
 * and the scheduler's `reconcileLead` path, with 429s and a reschedule seen only by polling.
 */
import type { FastifyInstance } from 'fastify';
import { CalcomSimulator } from '@recon/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureProvider } from '../provider-credentials';
import { reconcileLead } from '../../reconcile/reconcile-lead';
import { reconcileRoutes } from '../../reconcile/reconcile-routes';
import { bareApp, testSendError } from '../../reconcile/testing/bare-app';
import { startHarness, type Harness } from '../../reconcile/testing/reconcile-harness';

let h: Harness;
let app: FastifyInstance;
let url = '';
const sim = new CalcomSimulator({ rateLimit: { maxRequests: 1000, windowMs: 60_000 } });
const soon = (days: number) => new Date(Date.now() + days * 86_400_000);

beforeAll(async () => {
  await sim.start();
  h = await startHarness({ name: 'calcom-check' });
  ({ app, url } = await bareApp(
    reconcileRoutes({
      reconcile: h.deps,
      sendError: testSendError,
      cronSecret: 'cron-secret-for-tests-0123456789',
      checkMinIntervalMs: 0,
    }),
  ));
});
afterAll(async () => {
  await app?.close();
  await h?.close();
  await sim.close();
});

async function calcomWorkspace(name: string): Promise<{ id: string; host: number }> {
  const ws = await h.createWorkspace({ name, ghl: false, calendly: false });
  const accessToken = `cal_live_${ws.id}`;
  const host = sim.addUser({ accessToken });
  const r = await configureProvider(h.db, h.deps.secretBox, {
    workspaceId: ws.id,
    provider: 'calcom',
    now: new Date(),
    credentials: { accessToken, webhookSecret: 'whsec', apiBaseUrl: sim.server.url },
  });
  expect(r.ok).toBe(true);
  return { id: ws.id, host };
}

const check = async (ws: string, leadId: string) => {
  const res = await fetch(`${url}/v1/workspaces/${ws}/leads/${leadId}/check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('Cal.com in the reconciler', () => {
  it('check now: a booking made in Cal.com whose webhook never came makes the lead booked; a lead with none reads not_booked', async () => {
    const ws = await calcomWorkspace('check-now');
    await h.putLead(ws.id, 'lead-dana', { email: 'Dana.Lead@example.com' });
    await h.putLead(ws.id, 'lead-none', { email: 'nobody@example.com' });
    const booking = sim.addBooking({ hostUserId: ws.host, email: 'dana.lead@example.com', startTime: soon(3) });
    sim.addBooking({ hostUserId: ws.host, email: 'someone.else@example.com', startTime: soon(3) });
    const res = await check(ws.id, 'lead-dana');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      leadId: 'lead-dana',
      state: 'booked',
      checks: [{ provider: 'calcom', outcome: { kind: 'found', count: 1 } }],
    });
    const booked = await h.events(
      (e) => e.type === 'AppointmentBooked' && e.data['providerAppointmentId'] === booking.uid,
    );
    expect(booked[0]?.data).toMatchObject({ provider: 'calcom', leadId: 'lead-dana', source: 'manual' });
    const none = await check(ws.id, 'lead-none');
    expect(none.body).toMatchObject({
      state: 'not_booked',
      checks: [{ provider: 'calcom', outcome: { kind: 'none' } }],
    });
    expect(sim.server.methodsSeen()).toEqual(['GET']);
  });

  it('a reschedule and a cancellation seen only by polling: the chain and the cancel land on the lead’s streams', async () => {
    const ws = await calcomWorkspace('poll-chain');
    await h.putLead(ws.id, 'lead-kim', { email: 'kim@example.com' });
    const first = sim.addBooking({ hostUserId: ws.host, email: 'kim@example.com', startTime: soon(4) });
    const other = sim.addBooking({ hostUserId: ws.host, email: 'kim@example.com', startTime: soon(6) });
    expect((await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-kim', source: 'poller' })).ok).toBe(true);
    const moved = sim.rescheduleBooking(first.uid, soon(5));
    sim.cancelBooking(other.uid);
    const r = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-kim', source: 'poller' });
    expect(r.ok && r.value.bookingState).toBe('booked');
    const mine = await h.events(
      (e) => e.data['leadId'] === 'lead-kim' && String(e.streamName).startsWith('appointment-calcom-'),
    );
    const summary = mine.map((e) => [e.type, e.data['providerAppointmentId']]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['AppointmentRescheduled', first.uid],
        ['AppointmentBooked', moved.uid],
        ['AppointmentCanceled', other.uid],
      ]),
    );
    expect(summary).not.toContainEqual(['AppointmentCanceled', first.uid]);
  });

  it('a 429 from Cal.com (X-RateLimit-Reset-Default) is waited out; a 401 is a failed check that proves nothing', async () => {
    const ws = await calcomWorkspace('faults');
    await h.putLead(ws.id, 'lead-lee', { email: 'lee@example.com' });
    sim.addBooking({ hostUserId: ws.host, email: 'lee@example.com', startTime: soon(2) });
    // A 1 s window: the simulator's X-RateLimit-Reset-Default (seconds until the window frees) stays short.
    sim.server.rateLimit = { maxRequests: 1000, windowMs: 1000 };
    sim.server.injectFault({ kind: 'rateLimited' }, { count: 1 });
    const before = sim.server.countRequests({ status: 429 });
    const waited = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-lee', source: 'poller' });
    expect(waited.ok && waited.value.checks).toEqual([{ provider: 'calcom', outcome: { kind: 'found', count: 1 } }]);
    expect(sim.server.countRequests({ status: 429 }) - before).toBe(1);
    await h.putLead(ws.id, 'lead-unknown', { email: 'unknown@example.com' });
    sim.server.injectFault({ kind: 'status', status: 401 }, { count: 1 });
    const refused = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-unknown', source: 'poller' });
    expect(refused.ok && refused.value.checks).toEqual([
      { provider: 'calcom', outcome: { kind: 'failed', code: 'PROVIDER_UNAUTHORIZED' } },
    ]);
    expect(refused.ok && refused.value.bookingState).toBe('unknown');
  });
});
