/**
 * Issue 18 §4 over the API: `lostDeliveryGraceMinutes` through PUT/GET …/settings, and the
 * deliveries of GET …/stats and /metrics. Two GHL webhooks arrive; polling records a third
 * booking whose webhook was dropped (appended as the poller does: `source: "poller"`): one lost,
 * recovered by the poll. Its webhook then arrives late: received, and no longer lost (the webhook's
 * update time has whole seconds, the poll's milliseconds: they are the same version).
 */
import { randomUUID } from 'node:crypto';
import { startProjections, type ProjectionsHandle } from '@recon/projections';
import { ghlAppointmentPayload } from '@recon/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519Pair, signGhl, type Ed25519Pair } from './testing/fixtures';
import { request } from './testing/http';
import { admin, startTestApp, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';
import { appendPolledGhlBooking } from './testing/polled-ghl-booking';
import { configureGhl } from './testing/ghl-workspace';

let t: TestApp;
let pair: Ed25519Pair;
let projections: ProjectionsHandle;
const LOCATION = 'LostLoc0000000000001';

beforeAll(async () => {
  pair = ed25519Pair();
  t = await startTestApp({ name: 'lost-deliveries-http', listen: true });
  projections = startProjections({
    store: t.store,
    db: t.db,
    clock: () => new Date(),
    options: { lockPollMs: 50, idleMs: 5 },
  });
});
afterAll(async () => {
  await projections?.stop();
  await t?.close();
});

const HOUR = 3_600_000;
const base = Date.now() - 5 * HOUR;
const appointment = (n: number) => ({
  id: `LostApt${n}`,
  locationId: LOCATION,
  contactId: `LostCon${n}`,
  calendarId: 'LostCal0000000000001',
  status: 'confirmed',
  startMs: Date.now() + (n + 1) * 24 * HOUR,
  endMs: Date.now() + (n + 1) * 24 * HOUR + HOUR / 2,
  addedMs: base + n * HOUR,
  updatedMs: base + n * HOUR,
});

async function deliver(ws: string, n: number): Promise<void> {
  const raw = JSON.stringify(ghlAppointmentPayload('AppointmentCreate', appointment(n), randomUUID()));
  const res = await request(t.baseUrl, 'POST', `/webhooks/ghl/${ws}`, {
    raw,
    headers: { 'x-ghl-signature': signGhl(raw, pair) },
  });
  expect(res.status).toBe(200);
}

/** What a poll that found appointment `n` (its webhook dropped) appends. */
const pollFinds = (ws: string, n: number) => appendPolledGhlBooking(t.store, ws, appointment(n));

describe('lost deliveries over the API', () => {
  it('settings, …/stats deliveries and /metrics count the dropped webhook as lost until it arrives late', async () => {
    const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, 'Lost');
    await configureGhl(t.baseUrl, ws, LOCATION, pair);
    const settings = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/settings`, { headers: admin });
    expect(settings.body['lostDeliveryGraceMinutes']).toBe(15);
    const bad = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/settings`, {
      headers: admin,
      body: { lostDeliveryGraceMinutes: -1 },
    });
    expect(bad.status).toBe(400);
    const zero = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/settings`, {
      headers: admin,
      body: { lostDeliveryGraceMinutes: 0 },
    });
    expect(zero.status).toBe(200);
    expect(zero.body['lostDeliveryGraceMinutes']).toBe(0);

    await deliver(ws, 0);
    await deliver(ws, 1);
    await pollFinds(ws, 2);
    expect((await projections.waitUntilCaughtUp(undefined, { timeoutMs: 15_000 })).ok).toBe(true);
    const stats = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/stats`, { headers: auth });
    expect(stats.status).toBe(200);
    expect(stats.body['deliveries']).toEqual({ ghl: { received: 2, lost: 1, recovered: 1, pending: 0 } });
    let metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/recon_deliveries\{provider="ghl",outcome="lost"\} 1/);
    expect(metrics).toMatch(/recon_deliveries\{provider="ghl",outcome="received"\} 2/);

    await deliver(ws, 2); // the dropped webhook arrives after all: received, not lost
    const late = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/stats`, { headers: auth });
    expect(late.body['deliveries']).toEqual({ ghl: { received: 3, lost: 0, recovered: 1, pending: 0 } });
    metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/recon_deliveries\{provider="ghl",outcome="lost"\} 0/);
    expect(metrics).not.toContain(ws);
  });
});
