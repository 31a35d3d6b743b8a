import { appointmentStreamName, leadStreamName } from '@recon/domain';
import { createPostgresEventStore } from '@recon/eventstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDLY_FIXTURE_KEY, calendlyVectors, fixtureBytes, fixtureJson, signCalendly } from './testing/fixtures';
import { errorCode, request } from './testing/http';
import { admin, startTestApp, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

let now = new Date('2026-03-02T14:05:20.000Z');
let t: TestApp;

const INVITEE_A =
  'https://api.calendly.com/scheduled_events/aa8e0af6-f793-4ddc-867e-7cf6ccf167f3/invitees/5d421669-731d-4542-b1ac-da029ae56aa5';
const INVITEE_B =
  'https://api.calendly.com/scheduled_events/e508f4b2-61ef-4d72-9d67-c35f8b2f6f6b/invitees/d4b75211-5a16-4078-bd2d-80abe8d176e8';
const INVITEE_C =
  'https://api.calendly.com/scheduled_events/6f9d3ee4-8802-4061-af00-a5dfc2fc2dc4/invitees/f655d9f4-a3a6-4d15-a4a3-0e1e97251ae5';

async function calendlyWorkspace(name: string): Promise<{ ws: string; auth: Record<string, string> }> {
  const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, name);
  const put = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/calendly`, {
    headers: admin,
    body: {
      accessToken: 'pat-secret',
      organizationUri: 'https://api.calendly.com/organizations/ecff6680',
      webhookSigningKey: CALENDLY_FIXTURE_KEY,
    },
  });
  expect(put.status).toBe(200);
  return { ws, auth };
}

function deliver(ws: string, raw: Buffer | string, header?: string) {
  return request(t.baseUrl, 'POST', `/webhooks/calendly/${ws}`, {
    raw,
    headers: header === undefined ? {} : { 'calendly-webhook-signature': header },
  });
}

function signedNow(raw: Buffer | string): string {
  return signCalendly(raw, CALENDLY_FIXTURE_KEY, Math.floor(now.getTime() / 1000));
}

async function types(ws: string, invitee: string): Promise<string[]> {
  return (await t.store.readStream(appointmentStreamName(ws, 'calendly', invitee))).map((e) => e.type);
}

beforeAll(async () => {
  t = await startTestApp({ name: 'calendly-webhooks', listen: true, clock: () => now });
});
afterAll(async () => {
  await t?.close();
});

describe('POST /webhooks/calendly/:ws', () => {
  it('accepts the fixture signed with the fixture key (exact bytes) and matches the lead by email', async () => {
    const { ws, auth } = await calendlyWorkspace('matched');
    expect(
      (
        await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-jordan`, {
          headers: auth,
          body: { email: 'Jordan.Lead@example.com' },
        })
      ).status,
    ).toBe(201);
    const vector = calendlyVectors.vectors.find((v) => v.body_file === 'invitee-created.json')!;
    const res = await deliver(ws, fixtureBytes('calendly/invitee-created.json'), vector.header);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted', events: 1, matched: true });
    const events = await t.store.readStream(appointmentStreamName(ws, 'calendly', INVITEE_A));
    expect(events.map((e) => e.type)).toEqual(['AppointmentBooked']);
    expect(events[0]?.data).toMatchObject({
      leadId: 'lead-jordan',
      source: 'webhook',
      startAt: '2026-03-10T15:00:00.000Z',
    });
    expect(JSON.stringify(events[0]?.data)).not.toMatch(/jordan\.lead|Jordan Lead|avery/i);
  });

  it('the same delivery ten times → one set of events', async () => {
    const { ws } = await calendlyWorkspace('ten-times');
    const raw = fixtureBytes('calendly/invitee-canceled.json');
    const header = signedNow(raw);
    const statuses: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await deliver(ws, raw, header);
      expect(res.status).toBe(200);
      statuses.push(res.body['status'] as string);
    }
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
    expect(await types(ws, INVITEE_A)).toEqual(['AppointmentBooked', 'AppointmentCanceled']);
  });

  it('ten concurrent copies of one delivery → one set of events', async () => {
    const { ws } = await calendlyWorkspace('concurrent');
    const raw = fixtureBytes('calendly/invitee-created-after-reschedule.json');
    const header = signedNow(raw);
    const results = await Promise.all(Array.from({ length: 10 }, () => deliver(ws, raw, header)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await types(ws, INVITEE_C)).toEqual(['AppointmentBooked']);
  });

  it('a tampered body → 401 and no event; a stale signature → 401 with its own code', async () => {
    const { ws } = await calendlyWorkspace('tampered');
    const tampered = calendlyVectors.vectors.find((v) => v.expected === 'reject')!;
    const bad = await deliver(ws, tampered.body!, tampered.header);
    expect(bad.status).toBe(401);
    expect(errorCode(bad)).toBe('WEBHOOK_SIGNATURE_INVALID');
    const raw = fixtureBytes('calendly/invitee-created.json');
    const edited = Buffer.from(raw.toString('utf8').replace('2026-03-10T15:00:00', '2026-03-11T15:00:00'));
    const res = await deliver(ws, edited, signedNow(raw));
    expect(res.status).toBe(401);
    expect(errorCode(res)).toBe('WEBHOOK_SIGNATURE_INVALID');
    const missing = await deliver(ws, raw);
    expect(errorCode(missing)).toBe('WEBHOOK_SIGNATURE_MISSING');
    const stale = await deliver(
      ws,
      raw,
      signCalendly(raw, CALENDLY_FIXTURE_KEY, Math.floor(now.getTime() / 1000) - 600),
    );
    expect(stale.status).toBe(401);
    expect(errorCode(stale)).toBe('WEBHOOK_SIGNATURE_STALE');
    expect(await types(ws, INVITEE_A)).toEqual([]);
  });

  for (const order of [
    ['invitee-canceled-rescheduled.json', 'invitee-created-after-reschedule.json'],
    ['invitee-created-after-reschedule.json', 'invitee-canceled-rescheduled.json'],
  ]) {
    it(`a reschedule pair in either order (${order[0]} first) is a reschedule, never a cancellation`, async () => {
      now = new Date('2026-03-09T08:45:10.000Z');
      const { ws, auth } = await calendlyWorkspace(`reschedule-${order[0]}`);
      await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-j`, {
        headers: auth,
        body: { email: 'jordan.lead@example.com' },
      });
      for (const file of order) {
        const raw = fixtureBytes(`calendly/${file}`);
        const res = await deliver(ws, raw, signedNow(raw));
        expect(res.status).toBe(200);
      }
      const old = await t.store.readStream(appointmentStreamName(ws, 'calendly', INVITEE_B));
      expect(old.map((e) => e.type)).not.toContain('AppointmentCanceled');
      expect(old.at(-1)).toMatchObject({
        type: 'AppointmentRescheduled',
        data: expect.objectContaining({ rescheduledTo: INVITEE_C }),
      });
      const next = await t.store.readStream(appointmentStreamName(ws, 'calendly', INVITEE_C));
      expect(next.map((e) => e.type)).toEqual(['AppointmentBooked']);
      expect(next[0]?.data).toMatchObject({ rescheduledFrom: INVITEE_B, leadId: 'lead-j' });
    });
  }

  it('no-show marks the appointment; other event types → 202 ignored', async () => {
    now = new Date('2026-03-13T17:20:50.000Z');
    const { ws } = await calendlyWorkspace('no-show');
    const raw = fixtureBytes('calendly/invitee-no-show-created.json');
    expect((await deliver(ws, raw, signedNow(raw))).status).toBe(200);
    expect(await types(ws, INVITEE_C)).toEqual(['AppointmentBooked', 'AppointmentNoShowMarked']);
    const other = JSON.stringify({
      event: 'routing_form_submission.created',
      created_at: '2026-03-13T17:20:00.000000Z',
      payload: {},
    });
    const ignored = await deliver(ws, other, signedNow(other));
    expect(ignored.status).toBe(202);
    expect(ignored.body['status']).toBe('ignored');
  });

  it('an unmatched booking is appended with leadId null and its match keys (hashes only)', async () => {
    now = new Date('2026-03-02T14:05:20.000Z');
    const { ws } = await calendlyWorkspace('unmatched');
    const raw = fixtureBytes('calendly/invitee-created.json');
    const res = await deliver(ws, raw, signedNow(raw));
    expect(res.body).toMatchObject({ status: 'accepted', matched: false });
    const [booked] = await t.store.readStream(appointmentStreamName(ws, 'calendly', INVITEE_A));
    expect(booked?.data['leadId']).toBeNull();
    expect(booked?.data['matchKeys']).toMatchObject({
      inviteeEmailHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      ghlContactId: null,
    });
  });

  it('matches by alternate email, by event guest, and by the lead’s signed booking token in utm_content', async () => {
    now = new Date('2026-03-09T08:45:10.000Z');
    const { ws, auth } = await calendlyWorkspace('match-order');
    await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/guest-lead`, {
      headers: auth,
      body: { email: 'someone@example.net', alternateEmails: ['jordan.colleague@example.com'] },
    });
    const raw = fixtureBytes('calendly/invitee-created-after-reschedule.json');
    const res = await deliver(ws, raw, signedNow(raw));
    expect(res.body['matched']).toBe(true);
    const [booked] = await t.store.readStream(appointmentStreamName(ws, 'calendly', INVITEE_C));
    expect(booked?.data['leadId']).toBe('guest-lead');

    const { ws: ws2, auth: auth2 } = await calendlyWorkspace('utm');
    const utmLead = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws2}/leads/utm-lead`, {
      headers: auth2,
      body: { ghlContactId: 'x' },
    });
    const delivery = fixtureJson<{ payload: { tracking: Record<string, unknown> } }>(
      'calendly/invitee-created-after-reschedule.json',
    );
    delivery.payload.tracking['utm_content'] = utmLead.body['bookingToken'];
    const body = JSON.stringify(delivery);
    expect((await deliver(ws2, body, signedNow(body))).body['matched']).toBe(true);
    const [utmBooked] = await t.store.readStream(appointmentStreamName(ws2, 'calendly', INVITEE_C));
    expect(utmBooked?.data['leadId']).toBe('utm-lead');
  });

  it('malformed or invalid signed bodies → 4xx with a code, unknown workspace → 404', async () => {
    const { ws } = await calendlyWorkspace('bad-input');
    const notJson = '{"event": "invitee.created",';
    const malformed = await deliver(ws, notJson, signedNow(notJson));
    expect(malformed.status).toBe(400);
    expect(errorCode(malformed)).toBe('MALFORMED_JSON');
    const wrong = JSON.stringify({ event: 'invitee.created', created_at: 'x', payload: { uri: 5 } });
    const invalid = await deliver(ws, wrong, signedNow(wrong));
    expect(invalid.status).toBe(422);
    expect(errorCode(invalid)).toBe('CALENDLY_PAYLOAD_INVALID');
    const unknown = await deliver('ws_nope', notJson, signedNow(notJson));
    expect(unknown.status).toBe(404);
    const huge = Buffer.alloc(300 * 1024, 32);
    const tooBig = await deliver(ws, huge, signedNow(huge));
    expect(tooBig.status).toBe(413);
    expect(errorCode(tooBig)).toBe('BODY_TOO_LARGE');
  });

  it('store unavailable → 503 with Retry-After and nothing written', async () => {
    const { ws } = await calendlyWorkspace('store-down');
    const { buildApp, createLogger } = await import('../src/index');
    const { scanLeadLookup } = await import('@recon/ingest/testing');
    const deadStore = createPostgresEventStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none' });
    const app = await buildApp({
      db: t.db,
      store: deadStore,
      config: { adminToken: 'x'.repeat(30), secretKey: 'secret-key-for-tests-0123456789abcdef-0123' },
      leadLookup: scanLeadLookup(deadStore),
      clock: () => now,
      log: createLogger({ level: 'silent' }),
    });
    try {
      const raw = fixtureBytes('calendly/invitee-created.json');
      const res = await app.inject({
        method: 'POST',
        url: `/webhooks/calendly/${ws}`,
        payload: raw,
        headers: { 'content-type': 'application/json', 'calendly-webhook-signature': signedNow(raw) },
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.json()).toEqual({ error: { code: 'EVENT_STORE_UNAVAILABLE', message: expect.any(String) } });
    } finally {
      await app.close();
      await deadStore.close();
    }
    expect(await types(ws, INVITEE_A)).toEqual([]);
    expect(await t.store.readStream(leadStreamName(ws, 'x'))).toEqual([]);
  });

  it('no email or name in any captured log line', () => {
    const all = t.logLines.join('\n').toLowerCase();
    expect(t.logLines.length).toBeGreaterThan(10);
    for (const pii of ['jordan', 'example.com', 'avery', 'example.net']) expect(all).not.toContain(pii);
  });
});
