/**
 * Issue 18 §1 over HTTP: every lead carries its verification grade and the store event ids it
 * rests on. A booked label alone is `label_only` (the sentiment event), a lead without label or
 * evidence `unverified` (no ids), a Calendly booking `provider_confirmed` (its booking event), a
 * reschedule whose new invitee never arrived `provider_pending` (the reschedule event). Every id
 * is an event of the lead's or its appointment's stream, and a rebuild gives the same rows.
 * (`contradicted` needs a successful provider check: see ingest's reconcile-grade.e2e.test.ts.)
 */
import { appointmentStreamName, leadStreamName } from '@recon/domain';
import { rebuildProjections, type ProjectionsHandle } from '@recon/projections';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureCalendly } from './testing/calendly-workspace';
import { CALENDLY_FIXTURE_KEY, fixtureBytes, signCalendly } from './testing/fixtures';
import { request } from './testing/http';
import { startProjectedTestApp, stopProjectedTestApp } from './testing/projected-app';
import { admin, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

const INVITEE_A =
  'https://api.calendly.com/scheduled_events/aa8e0af6-f793-4ddc-867e-7cf6ccf167f3/invitees/5d421669-731d-4542-b1ac-da029ae56aa5';
const INVITEE_B =
  'https://api.calendly.com/scheduled_events/e508f4b2-61ef-4d72-9d67-c35f8b2f6f6b/invitees/d4b75211-5a16-4078-bd2d-80abe8d176e8';

const now = new Date('2026-03-09T08:45:10.000Z');
let t: TestApp;
let projections: ProjectionsHandle;

beforeAll(async () => {
  ({ t, projections } = await startProjectedTestApp({ name: 'lead-grade', clock: () => now }));
});
afterAll(() => stopProjectedTestApp({ t, projections }));

async function caughtUp(): Promise<void> {
  expect((await projections.waitUntilCaughtUp(await t.store.lastCommittedPosition(), { timeoutMs: 20_000 })).ok).toBe(
    true,
  );
}

async function deliver(ws: string, file: string): Promise<void> {
  const raw = fixtureBytes(`calendly/${file}`);
  const res = await request(t.baseUrl, 'POST', `/webhooks/calendly/${ws}`, {
    raw,
    headers: {
      'calendly-webhook-signature': signCalendly(raw, CALENDLY_FIXTURE_KEY, Math.floor(now.getTime() / 1000)),
    },
  });
  expect(res.status).toBe(200);
}

async function ids(stream: string): Promise<{ id: string; type: string }[]> {
  return (await t.store.readStream(stream)).map((e) => ({ id: e.id, type: e.type }));
}

describe('lead grade (HTTP)', () => {
  it('labelVerificationSlaHours: 24 by default, set by PUT …/settings, an integer of at least 1', async () => {
    const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, 'sla-setting');
    const get = () => request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/settings`, { headers: auth });
    expect((await get()).body['labelVerificationSlaHours']).toBe(24);
    const put = (body: Record<string, unknown>) =>
      request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/settings`, { headers: admin, body });
    expect((await put({ labelVerificationSlaHours: 6 })).status).toBe(200);
    expect((await get()).body['labelVerificationSlaHours']).toBe(6);
    for (const bad of [0, 1.5, '6']) expect((await put({ labelVerificationSlaHours: bad })).status).toBe(400);
    expect((await get()).body['labelVerificationSlaHours']).toBe(6);
    expect((await put({})).status).toBe(200); // absent: the default again (PUT is the whole document)
    expect((await get()).body['labelVerificationSlaHours']).toBe(24);
  });

  it('a Calendly reschedule whose new invitee never arrived is provider_pending on the reschedule event', async () => {
    const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, 'pending');
    await configureCalendly(t.baseUrl, ws);
    await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-j`, {
      headers: auth,
      body: { email: 'jordan.lead@example.com' },
    });
    await caughtUp(); // the booking finds its lead through the projected identities
    await deliver(ws, 'invitee-canceled-rescheduled.json');
    await caughtUp();
    const old = await ids(appointmentStreamName(ws, 'calendly', INVITEE_B));
    expect(old.at(-1)?.type).toBe('AppointmentRescheduled');
    const res = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-j`, { headers: auth });
    expect(res.body).toMatchObject({ state: 'booked', grade: 'provider_pending', evidence: [old.at(-1)?.id] });
  });

  it('each grade without a provider check, its evidence ids in the store, the same after a rebuild', async () => {
    const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, 'grades');
    await configureCalendly(t.baseUrl, ws);
    const put = (leadId: string, body: Record<string, unknown>) =>
      request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/${leadId}`, { headers: auth, body });
    expect(
      (await put('labelled', { sentiment: { label: 'Meeting Booked', classifiedAt: '2026-03-08T10:00:00Z' } })).status,
    ).toBe(201);
    expect(
      (await put('plain', { sentiment: { label: 'Interested', classifiedAt: '2026-03-08T10:00:00Z' } })).status,
    ).toBe(201);
    expect((await put('booked', { email: 'jordan.lead@example.com' })).status).toBe(201);
    await caughtUp(); // the booking finds its lead through the projected identities
    await deliver(ws, 'invitee-created.json');
    await caughtUp();

    const get = async (leadId: string) => {
      const res = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/${leadId}`, { headers: auth });
      expect(res.status).toBe(200);
      return res.body as { grade: string; evidence: string[] };
    };
    const labelled = await get('labelled');
    const sentimentEvent = (await ids(leadStreamName(ws, 'labelled'))).filter(
      (e) => e.type === 'LeadSentimentClassified',
    );
    expect(labelled).toMatchObject({ grade: 'label_only', evidence: sentimentEvent.map((e) => e.id) });
    expect(await get('plain')).toMatchObject({ grade: 'unverified', evidence: [] });
    const booking = await ids(appointmentStreamName(ws, 'calendly', INVITEE_A));
    expect(booking[0]?.type).toBe('AppointmentBooked');
    const confirmed = await get('booked');
    expect(confirmed.grade).toBe('provider_confirmed');
    expect(confirmed.evidence[0]).toBe(booking[0]?.id);
    for (const id of confirmed.evidence) expect(booking.map((e) => e.id)).toContain(id);

    // Lists and search carry the grade too.
    const list = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads?state=booked`, { headers: auth });
    expect(list.body['items']).toEqual([expect.objectContaining({ leadId: 'booked', grade: 'provider_confirmed' })]);
    const found = await request(t.baseUrl, 'POST', `/v1/workspaces/${ws}/leads:search`, {
      headers: auth,
      body: { leadIdPrefix: 'label' },
    });
    expect(found.body['items']).toEqual([
      expect.objectContaining({ leadId: 'labelled', grade: 'label_only', evidence: labelled.evidence }),
    ]);

    // The same rows after a rebuild (the evidence ids are the store's, whichever path folded them).
    const rows = async () =>
      (
        await sql<{
          r: unknown;
        }>`SELECT row_to_json(x) AS r FROM (SELECT lead_id, grade, grade_evidence FROM lead_lifecycle
          WHERE workspace_id = ${ws} ORDER BY lead_id) x`.execute(t.db as unknown as Kysely<unknown>)
      ).rows.map((x) => x.r);
    const live = await rows();
    await projections.stop();
    expect(await rebuildProjections({ store: t.store, db: t.db }, ['core'])).toMatchObject({ ok: true });
    expect(await rows()).toEqual(live);
  });
});
