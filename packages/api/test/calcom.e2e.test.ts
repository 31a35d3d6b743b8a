/**
 * Cal.com end to end over HTTP, through the provider seam only: configuration
 * (`PUT /v1/workspaces/:ws/providers/calcom`), signed webhooks on `POST /webhooks/calcom/:ws`, the
 * projections' lead and task reads. (The manual check against the Cal.com simulator is
 * packages/ingest/src/providers/calcom/calcom-check.e2e.test.ts.) Fixtures:
 * packages/domain/src/providers/calcom/fixtures (exact bytes signed).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { appointmentStreamName } from '@recon/domain';
import type { ProjectionsHandle } from '@recon/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, request } from './testing/http';
import { startProjectedTestApp, stopProjectedTestApp } from './testing/projected-app';
import { admin, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

const dir = new URL('../../domain/src/providers/calcom/fixtures/', import.meta.url);
const bytes = (name: string) => readFileSync(new URL(name, dir));
const json = <T = Record<string, unknown>>(name: string) => JSON.parse(bytes(name).toString('utf8')) as T;
const vectors = json<{ secret: string; vectors: { body_file?: string; 'x-cal-signature-256': string }[] }>(
  'signature-vectors.json',
);
const SECRET = vectors.secret;
const sign = (raw: Buffer | string) => createHmac('sha256', SECRET).update(raw).digest('hex');

const ONE = 'fakeBkgUid000000000001';
const OLD = 'fakeBkgUid000000000002';
const NEW = 'fakeBkgUid000000000003';
const PII = /riley\.lead@|avery\.host|sam\.colleague|Riley Lead|Avery Host/i;

const now = new Date('2026-03-09T09:00:00.000Z');
let t: TestApp;
let projections: ProjectionsHandle;

beforeAll(async () => {
  ({ t, projections } = await startProjectedTestApp({ name: 'calcom', clock: () => now }));
});
afterAll(() => stopProjectedTestApp({ t, projections }));

async function calcomWorkspace(name: string): Promise<{ ws: string; auth: Record<string, string> }> {
  const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, name);
  const put = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/calcom`, {
    headers: admin,
    body: { accessToken: `cal_live_${name}`, webhookSecret: SECRET },
  });
  expect(put.status).toBe(200);
  expect(JSON.stringify(put.body)).not.toContain(SECRET);
  return { ws, auth };
}

async function putLead(ws: string, auth: Record<string, string>, leadId: string, email: string): Promise<void> {
  const res = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/${leadId}`, {
    headers: auth,
    body: { email },
  });
  expect([200, 201]).toContain(res.status);
  expect((await projections.waitUntilCaughtUp(res.body['position'] as never, { timeoutMs: 10_000 })).ok).toBe(true);
}

/** Signed with the fixture secret unless a header value (or null: no header) is given. */
async function deliver(ws: string, raw: Buffer | string, signature: string | null = sign(raw)) {
  return request(t.baseUrl, 'POST', `/webhooks/calcom/${ws}`, {
    raw,
    headers: signature === null ? {} : { 'x-cal-signature-256': signature },
  });
}

async function caughtUp(position: unknown): Promise<void> {
  if (position === null || position === undefined) return;
  expect((await projections.waitUntilCaughtUp(position as never, { timeoutMs: 10_000 })).ok).toBe(true);
}

const types = async (ws: string, uid: string) =>
  (await t.store.readStream(appointmentStreamName(ws, 'calcom', uid))).map((e) => e.type);

async function openTasks(ws: string, auth: Record<string, string>) {
  const tasks = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/tasks?status=open&limit=50`, { headers: auth });
  return (
    (tasks.body['items'] ?? []) as { kind: string; severity: string; leadId: string; appointmentId: string }[]
  ).map((i) => [i.kind, i.severity, i.leadId, i.appointmentId]);
}

/** The original booking 2 (the one booking 3 replaces): the created fixture moved onto booking 2. */
function oldCreated(): string {
  const d = json<{ createdAt: string; payload: Record<string, unknown> }>('webhook-booking-created.json');
  d.createdAt = '2026-03-05T10:20:34.000Z';
  d.payload = {
    ...d.payload,
    uid: OLD,
    bookingId: 990002,
    startTime: '2026-03-12T16:00:00Z',
    endTime: '2026-03-12T16:30:00Z',
  };
  return JSON.stringify(d);
}

describe('Cal.com through the provider seam', () => {
  it('a signed BOOKING_CREATED (exact wire bytes) for the lead’s email → the lead reads booked; hashes only in events', async () => {
    const { ws, auth } = await calcomWorkspace('created');
    await putLead(ws, auth, 'lead-riley', 'Riley.Lead@example.com');
    const vector = vectors.vectors[0]!;
    const res = await deliver(ws, bytes(vector.body_file!), vector['x-cal-signature-256']);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted', events: 1, matched: true });
    await caughtUp(res.body['position']);
    const events = await t.store.readStream(appointmentStreamName(ws, 'calcom', ONE));
    expect(events.map((e) => e.type)).toEqual(['AppointmentBooked']);
    expect(events[0]?.data).toMatchObject({
      leadId: 'lead-riley',
      provider: 'calcom',
      source: 'webhook',
      startAt: '2026-03-10T15:00:00.000Z',
    });
    expect(events[0]?.data['matchKeys']).toMatchObject({ inviteeEmailHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(events.map((e) => e.data))).not.toMatch(PII);
    const lead = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-riley`, { headers: auth });
    expect(lead.body['state']).toBe('booked');
    // A repeated creation is stored once (identical event ids), whatever the answer says.
    expect((await deliver(ws, bytes(vector.body_file!), vector['x-cal-signature-256'])).status).toBe(200);
    expect(await types(ws, ONE)).toEqual(['AppointmentBooked']);
    expect(t.logLines.join('\n')).not.toMatch(PII);
  });

  for (const order of ['original first', 'reschedule first'] as const) {
    it(`BOOKING_RESCHEDULED (${order}) → the old booking canceled as rescheduled, the new one booked for the same lead, one red review task`, async () => {
      const { ws, auth } = await calcomWorkspace(`reschedule-${order.split(' ')[0]}`);
      await putLead(ws, auth, 'lead-riley', 'riley.lead@example.com');
      const rescheduled = bytes('webhook-booking-rescheduled.json');
      const deliveries = order === 'original first' ? [oldCreated(), rescheduled] : [rescheduled, oldCreated()];
      let position: unknown = null;
      for (const raw of deliveries) {
        const res = await deliver(ws, raw);
        expect(res.status).toBe(200);
        position = res.body['position'] ?? position;
      }
      await caughtUp(position);
      const old = await t.store.readStream(appointmentStreamName(ws, 'calcom', OLD));
      expect(old.map((e) => e.type)).not.toContain('AppointmentCanceled');
      expect(old.find((e) => e.type === 'AppointmentRescheduled')?.data).toMatchObject({
        rescheduledTo: NEW,
        leadId: 'lead-riley',
      });
      const next = await t.store.readStream(appointmentStreamName(ws, 'calcom', NEW));
      expect(next.map((e) => e.type)).toEqual(['AppointmentBooked']);
      expect(next[0]?.data).toMatchObject({
        rescheduledFrom: OLD,
        leadId: 'lead-riley',
        startAt: '2026-03-13T17:00:00.000Z',
      });
      const lead = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-riley`, { headers: auth });
      expect(lead.body['state']).toBe('booked');
      expect(await openTasks(ws, auth)).toEqual([['meeting-rescheduled', 'red', 'lead-riley', OLD]]);
    });
  }

  it('a chain delivered out of order (B→C before A→B, C booked under another email): C is carried to the lead of A', async () => {
    const { ws, auth } = await calcomWorkspace('chain-out-of-order');
    await putLead(ws, auth, 'lead-riley', 'riley.lead@example.com');
    const later = json<{ createdAt: string; payload: Record<string, unknown> & { attendees: { email: string }[] } }>(
      'webhook-booking-rescheduled.json',
    );
    const C = 'fakeBkgUid000000000009';
    later.createdAt = '2026-03-10T08:00:00.000Z';
    later.payload = {
      ...later.payload,
      uid: C,
      bookingId: 990009,
      rescheduleUid: NEW,
      rescheduleId: 990003,
      startTime: '2026-03-20T17:00:00Z',
      endTime: '2026-03-20T17:30:00Z',
      rescheduleStartTime: '2026-03-13T17:00:00Z',
      rescheduleEndTime: '2026-03-13T17:30:00Z',
      attendees: [{ ...later.payload.attendees[0]!, email: 'other.person@example.com' }],
      responses: {},
    };
    expect((await deliver(ws, JSON.stringify(later))).body).toMatchObject({ status: 'accepted', matched: false });
    await deliver(ws, oldCreated());
    const res = await deliver(ws, bytes('webhook-booking-rescheduled.json'));
    expect(res.body).toMatchObject({ matched: true });
    const linked = (await t.store.readStream(appointmentStreamName(ws, 'calcom', C))).find(
      (e) => e.type === 'AppointmentLinkedToLead',
    );
    expect(linked?.data).toMatchObject({ leadId: 'lead-riley', matchedBy: 'reschedule' });
  });

  it('BOOKING_CANCELLED → canceled by the invitee, the lead reads canceled, a red task; a no-show mark on the lead’s booking is recorded', async () => {
    const { ws, auth } = await calcomWorkspace('cancelled');
    await putLead(ws, auth, 'lead-riley', 'riley.lead@example.com');
    await deliver(ws, bytes('webhook-booking-created.compact.json'));
    const res = await deliver(ws, bytes('webhook-booking-cancelled.json'));
    expect(res.body).toMatchObject({ status: 'accepted', events: 1, matched: true });
    await caughtUp(res.body['position']);
    expect(await types(ws, ONE)).toEqual(['AppointmentBooked', 'AppointmentCanceled']);
    expect((await t.store.readStream(appointmentStreamName(ws, 'calcom', ONE)))[1]?.data).toMatchObject({
      canceledBy: 'invitee',
    });
    const lead = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-riley`, { headers: auth });
    expect(lead.body['state']).toBe('canceled');
    expect(await openTasks(ws, auth)).toEqual([['meeting-canceled', 'red', 'lead-riley', ONE]]);

    // No-show: applies to a booking recon holds, for the lead's attendee; unknown bookings are acknowledged.
    const noShow = bytes('webhook-booking-no-show-updated.json');
    expect((await deliver(ws, noShow)).body).toMatchObject({ status: 'ignored' });
    await deliver(ws, bytes('webhook-booking-rescheduled.json'));
    const marked = await deliver(ws, noShow);
    expect(marked.body).toMatchObject({ status: 'accepted', events: 1, matched: true });
    expect(await types(ws, NEW)).toEqual(['AppointmentBooked', 'AppointmentNoShowMarked']);
  });

  it('signatures: tampered → 401 WEBHOOK_SIGNATURE_INVALID, no-secret-provided or none → WEBHOOK_SIGNATURE_MISSING; nothing written', async () => {
    const { ws } = await calcomWorkspace('signatures');
    const raw = bytes('webhook-booking-created.compact.json');
    const tampered = Buffer.from(raw.toString('utf8').replace('"status":"ACCEPTED"', '"status":"CANCELLED"'));
    const bad = await deliver(ws, tampered, vectors.vectors[0]!['x-cal-signature-256']);
    expect(bad.status).toBe(401);
    expect(errorCode(bad)).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(errorCode(await deliver(ws, raw, 'no-secret-provided'))).toBe('WEBHOOK_SIGNATURE_MISSING');
    expect(errorCode(await deliver(ws, raw, null))).toBe('WEBHOOK_SIGNATURE_MISSING');
    expect(await types(ws, ONE)).toEqual([]);
  });

  it('MEETING_ENDED and PING → 202 ignored; malformed → 400; unreadable → 422 PROVIDER_PAYLOAD_INVALID (paths, no values); unknown workspace → 404', async () => {
    const { ws } = await calcomWorkspace('bad-input');
    const ended = await deliver(ws, bytes('webhook-meeting-ended.json'));
    expect(ended.status).toBe(202);
    expect(ended.body['status']).toBe('ignored');
    const ping = JSON.stringify({
      triggerEvent: 'PING',
      createdAt: '2026-03-01T00:00:00.000Z',
      payload: { title: 'x' },
    });
    expect((await deliver(ws, ping)).status).toBe(202);
    const notJson = '{"triggerEvent": "BOOKING_CREATED",';
    const malformed = await deliver(ws, notJson);
    expect(malformed.status).toBe(400);
    expect(errorCode(malformed)).toBe('MALFORMED_JSON');
    const unreadable = JSON.stringify({
      triggerEvent: 'BOOKING_CREATED',
      createdAt: '2026-03-02T14:05:12.204Z',
      payload: { uid: ONE, startTime: 'riley.lead@example.com' },
    });
    const invalid = await deliver(ws, unreadable);
    expect(invalid.status).toBe(422);
    expect(errorCode(invalid)).toBe('PROVIDER_PAYLOAD_INVALID');
    expect(JSON.stringify(invalid.body)).not.toMatch(PII);
    expect((await deliver('ws_nope', ping)).status).toBe(404);
  });
});
