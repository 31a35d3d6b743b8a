/**
 * Issue 13 defect 1: a rescheduled Calendly meeting keeps its lead. The lead's email is a@x, the
 * booking is made by a@x; the CRM changes the lead's email to b@x; the invitee reschedules (the new
 * invitee still says a@x) and later cancels the new meeting. The new invitee inherits the lead of
 * the invitee it replaces, whichever delivery of the reschedule pair comes first, so the lead reads
 * canceled with a red task.
 */
import { appointmentStreamName } from '@recon/domain';
import type { ProjectionsHandle } from '@recon/projections';
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDLY_FIXTURE_KEY, fixtureJson, signCalendly } from './testing/fixtures';
import { request } from './testing/http';
import { configureCalendly } from './testing/calendly-workspace';
import { startProjectedTestApp, stopProjectedTestApp } from './testing/projected-app';
import type { TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

const now = new Date('2026-03-09T09:00:00.000Z');
const OLD_EVENT = 'https://api.calendly.com/scheduled_events/e508f4b2-61ef-4d72-9d67-c35f8b2f6f6b';
const OLD = `${OLD_EVENT}/invitees/d4b75211-5a16-4078-bd2d-80abe8d176e8`;
const NEW_EVENT = 'https://api.calendly.com/scheduled_events/6f9d3ee4-8802-4061-af00-a5dfc2fc2dc4';
const NEW = `${NEW_EVENT}/invitees/f655d9f4-a3a6-4d15-a4a3-0e1e97251ae5`;

let t: TestApp;
let projections: ProjectionsHandle;

beforeAll(async () => {
  ({ t, projections } = await startProjectedTestApp({ name: 'reschedule-inherits-lead', clock: () => now }));
});
afterAll(() => stopProjectedTestApp({ t, projections }));

type Delivery = { event: string; payload: Record<string, unknown> & { scheduled_event: Record<string, unknown> } };

/** The original booking of the old invitee (the created fixture moved onto the old invitee's event). */
function oldCreated(): string {
  const d = fixtureJson<Delivery>('calendly/invitee-created.json');
  d.payload = {
    ...d.payload,
    uri: OLD,
    event: OLD_EVENT,
    updated_at: '2026-03-02T14:05:11.517004Z',
    scheduled_event: {
      ...d.payload.scheduled_event,
      uri: OLD_EVENT,
      start_time: '2026-03-12T16:00:00.000000Z',
      end_time: '2026-03-12T16:30:00.000000Z',
    },
  };
  return JSON.stringify(d);
}

/** The new invitee's own (not rescheduled) cancellation. */
function newCanceled(): string {
  const d = fixtureJson<Delivery>('calendly/invitee-canceled.json');
  d.payload = {
    ...d.payload,
    uri: NEW,
    event: NEW_EVENT,
    updated_at: '2026-03-09T10:00:00.000000Z',
    scheduled_event: {
      ...d.payload.scheduled_event,
      uri: NEW_EVENT,
      start_time: '2026-03-13T17:00:00.000000Z',
      end_time: '2026-03-13T17:30:00.000000Z',
    },
  };
  return JSON.stringify(d);
}

const fixture = (name: string) => JSON.stringify(fixtureJson(`calendly/${name}`));

async function deliver(ws: string, raw: string) {
  const res = await request(t.baseUrl, 'POST', `/webhooks/calendly/${ws}`, {
    raw,
    headers: {
      'calendly-webhook-signature': signCalendly(raw, CALENDLY_FIXTURE_KEY, Math.floor(now.getTime() / 1000)),
    },
  });
  expect(res.status).toBe(200);
  return res.body;
}

async function scenario(name: string, pairOrder: 'cancel-first' | 'create-first') {
  const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, name);
  await configureCalendly(t.baseUrl, ws);
  const first = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-a`, {
    headers: auth,
    body: { email: 'jordan.lead@example.com' },
  });
  expect((await projections.waitUntilCaughtUp(first.body['position'] as never, { timeoutMs: 10_000 })).ok).toBe(true);
  expect(await deliver(ws, oldCreated())).toMatchObject({ matched: true });
  const changed = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-a`, {
    headers: auth,
    body: { email: 'jordan.new@example.com' },
  });
  expect((await projections.waitUntilCaughtUp(changed.body['position'] as never, { timeoutMs: 10_000 })).ok).toBe(true);
  const pair = [fixture('invitee-canceled-rescheduled.json'), fixture('invitee-created-after-reschedule.json')];
  for (const raw of pairOrder === 'cancel-first' ? pair : pair.reverse()) await deliver(ws, raw);
  const last = await deliver(ws, newCanceled());
  expect((await projections.waitUntilCaughtUp(last['position'] as never, { timeoutMs: 10_000 })).ok).toBe(true);

  const [booked] = await t.store.readStream(appointmentStreamName(ws, 'calendly', NEW));
  expect(booked?.data['leadId']).toBe('lead-a');
  const lead = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-a`, { headers: auth });
  expect(lead.body['state']).toBe('canceled');
  const tasks = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/tasks?status=open&limit=50`, { headers: auth });
  const items = (tasks.body['items'] ?? []) as {
    kind: string;
    severity: string;
    leadId: string;
    appointmentId: string;
  }[];
  expect(
    items.filter((i) => i.kind === 'meeting-canceled').map((i) => [i.leadId, i.severity, i.appointmentId]),
  ).toEqual([['lead-a', 'red', NEW]]);
}

/** The old invitee's rescheduled cancellation, its booking tracked with the lead's booking token (UTM). */
function oldCanceledWithUtm(bookingToken: string): string {
  const d = fixtureJson<Delivery>('calendly/invitee-canceled-rescheduled.json');
  d.payload = {
    ...d.payload,
    tracking: { ...(d.payload['tracking'] as Record<string, unknown>), utm_content: bookingToken },
  };
  return JSON.stringify(d);
}

/** The new invitee's creation, booked under another email. */
function newCreatedOtherEmail(): string {
  const d = fixtureJson<Delivery>('calendly/invitee-created-after-reschedule.json');
  d.payload = { ...d.payload, email: 'other.person@example.com' };
  return JSON.stringify(d);
}

describe('a rescheduled Calendly meeting keeps its lead', () => {
  it('a chain held unmatched is carried to the lead when its first invitee is linked later (lead registered afterwards)', async () => {
    const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, 'linked-later');
    await configureCalendly(t.baseUrl, ws);
    expect(await deliver(ws, oldCreated())).toMatchObject({ matched: false });
    expect(await deliver(ws, fixture('invitee-canceled-rescheduled.json'))).toMatchObject({ matched: false });
    expect(await deliver(ws, newCreatedOtherEmail())).toMatchObject({ matched: false });
    await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-late`, {
      headers: auth,
      body: { email: 'jordan.lead@example.com' },
    });
    const linked = await waitFor(
      async () =>
        (await t.store.readStream(appointmentStreamName(ws, 'calendly', NEW))).find(
          (e) => e.type === 'AppointmentLinkedToLead',
        ),
      { timeoutMs: 15_000, description: 'the new invitee linked' },
    );
    expect(linked.data).toMatchObject({ leadId: 'lead-late', matchedBy: 'reschedule' });
  });

  it('the new invitee arrives while its predecessor is unknown; the predecessor then matches by UTM: the lead is carried down', async () => {
    const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, 'successor-first');
    await configureCalendly(t.baseUrl, ws);
    const put = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-u`, {
      headers: auth,
      body: { email: 'someone.else@example.com' },
    });
    expect((await projections.waitUntilCaughtUp(put.body['position'] as never, { timeoutMs: 10_000 })).ok).toBe(true);
    expect(await deliver(ws, fixture('invitee-created-after-reschedule.json'))).toMatchObject({ matched: false });
    expect(await deliver(ws, oldCanceledWithUtm(put.body['bookingToken'] as string))).toMatchObject({ matched: true });
    const last = await deliver(ws, newCanceled());
    expect((await projections.waitUntilCaughtUp(last['position'] as never, { timeoutMs: 10_000 })).ok).toBe(true);
    const linked = (await t.store.readStream(appointmentStreamName(ws, 'calendly', NEW))).find(
      (e) => e.type === 'AppointmentLinkedToLead',
    );
    expect(linked?.data).toMatchObject({ leadId: 'lead-u', matchedBy: 'reschedule' });
    const lead = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-u`, { headers: auth });
    expect(lead.body['state']).toBe('canceled');
  });

  it('old invitee canceled (rescheduled) first, then the new invitee created, then canceled', async () => {
    await scenario('cancel-first', 'cancel-first');
  });

  it('new invitee created first, then the old invitee canceled (rescheduled), then canceled', async () => {
    await scenario('create-first', 'create-first');
  });
});
