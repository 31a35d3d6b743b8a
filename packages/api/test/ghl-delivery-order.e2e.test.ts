/**
 * Issue 13, defect 9, over HTTP: GHL moves an appointment in place. AppointmentCreate (first
 * times) → AppointmentUpdate (new times) → AppointmentUpdate (noshow), sent once in order to
 * workspace O and shuffled with duplicates to workspace S, give the same tasks and gates: the
 * Create arriving after its Update is evidence of the reschedule, not a stale delivery to drop.
 */
import type { Position } from '@recon/eventstore';
import { startProjections, type ProjectionsHandle } from '@recon/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519Pair, fixtureJson, signGhl, type Ed25519Pair } from './testing/fixtures';
import { request } from './testing/http';
import { admin, startTestApp, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

let t: TestApp;
let pair: Ed25519Pair;
let projections: ProjectionsHandle;

beforeAll(async () => {
  pair = ed25519Pair();
  t = await startTestApp({ name: 'ghl-delivery-order', listen: true });
  projections = startProjections({
    store: t.store,
    db: t.db,
    clock: () => new Date('2026-05-28T00:00:00.000Z'),
    options: { lockPollMs: 50, idleMs: 5 },
  });
});
afterAll(async () => {
  await projections?.stop();
  await t?.close();
});

async function ghlWorkspace(name: string): Promise<{ ws: string; auth: Record<string, string> }> {
  const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, name);
  const put = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/ghl`, {
    headers: admin,
    body: {
      accessToken: 'pit-secret-token',
      locationId: 'FakeLoc0000000000001',
      webhookVerification: { ed25519PublicKey: pair.publicKeyPem },
    },
  });
  expect(put.status).toBe(200);
  return { ws, auth };
}

type Webhook = { type: string; appointment: Record<string, unknown>; timestamp: string; webhookId: string };

/** The three deliveries of one lead's appointment (ids and contact per lead). */
function history(n: number): string[] {
  const base = fixtureJson<Webhook>('ghl/webhook-appointment-update-rescheduled.json');
  const make = (type: string, start: string, status: string, updated: string, k: number) =>
    JSON.stringify({
      ...base,
      type,
      webhookId: `00000000-0000-4000-8000-0000000${String(n).padStart(3, '0')}${k}00`,
      appointment: {
        ...base.appointment,
        id: `OrderApt${n}`,
        contactId: `OrderCon${n}`,
        appointmentStatus: status,
        startTime: `${start}:00:00-05:00`,
        endTime: `${start}:30:00-05:00`,
        dateUpdated: updated,
      },
    });
  return [
    make('AppointmentCreate', '2030-06-11T10', 'confirmed', '2026-05-20T08:15:02-05:00', 1),
    make('AppointmentUpdate', '2030-06-18T10', 'confirmed', '2026-05-21T08:15:02-05:00', 2),
    make('AppointmentUpdate', '2030-06-18T10', 'noshow', '2026-05-22T08:15:02-05:00', 3),
  ];
}

async function send(ws: string, raw: string): Promise<Position | null> {
  const res = await request(t.baseUrl, 'POST', `/webhooks/ghl/${ws}`, {
    raw,
    headers: { 'x-ghl-signature': signGhl(raw, pair) },
  });
  expect(res.status).toBe(200);
  return (res.body['position'] as Position | null | undefined) ?? null;
}

async function tasksAndGates(ws: string, auth: Record<string, string>, leads: readonly string[]) {
  const tasks = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/tasks?status=open&limit=200`, { headers: auth });
  expect(tasks.status).toBe(200);
  const items = (tasks.body['items'] as { leadId: string; kind: string; severity: string }[])
    .map((x) => `${x.leadId} ${x.kind} ${x.severity}`)
    .sort();
  const gates: string[] = [];
  for (const lead of leads) {
    const gate = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/gates/${lead}`, { headers: auth });
    expect(gate.status).toBe(200);
    gates.push(`${lead} ${String(gate.body['reason'])} ${String(gate.body['mayEnroll'])}`);
  }
  return { tasks: items, gates };
}

describe('GHL deliveries in any order (HTTP)', () => {
  it('in order vs shuffled with duplicates: the same open tasks (reschedule and no-show) and gates', {
    timeout: 120_000,
  }, async () => {
    const leads = Array.from({ length: 6 }, (_, i) => `order-lead-${i}`);
    const o = await ghlWorkspace('order-o');
    const s = await ghlWorkspace('order-s');
    for (const w of [o, s]) {
      for (const [i, lead] of leads.entries()) {
        expect(
          (
            await request(t.baseUrl, 'PUT', `/v1/workspaces/${w.ws}/leads/${lead}`, {
              headers: w.auth,
              body: { ghlContactId: `OrderCon${i}` },
            })
          ).status,
        ).toBe(201);
      }
    }
    // O: in order. S: each lead's deliveries reversed or rotated, some twice.
    let last: Position | null = null;
    for (const [i] of leads.entries()) for (const raw of history(i)) last = (await send(o.ws, raw)) ?? last;
    const orders = [
      [2, 1, 0],
      [1, 2, 0, 1],
      [2, 0, 1],
      [0, 2, 1, 2],
      [1, 0, 2],
      [2, 1, 0, 0],
    ];
    for (const [i] of leads.entries()) {
      const h = history(i);
      for (const k of orders[i] ?? []) last = (await send(s.ws, h[k] ?? '')) ?? last;
    }
    if (last !== null) expect((await projections.waitUntilCaughtUp(last, { timeoutMs: 60_000 })).ok).toBe(true);

    const inOrder = await tasksAndGates(o.ws, o.auth, leads);
    const shuffled = await tasksAndGates(s.ws, s.auth, leads);
    expect(inOrder.tasks).toEqual(
      leads.flatMap((l) => [`${l} meeting-no-show amber`, `${l} meeting-rescheduled red`]).sort(),
    );
    expect(inOrder.gates).toEqual(leads.map((l) => `${l} no_show_needs_review false`));
    expect(shuffled).toEqual(inOrder);
  });
});
