/**
 * `POST …/appointments:link` over real HTTP on real PostgreSQL with the projections running: an
 * operator links a booking no lead matched to a lead whose CRM label says booked while a provider
 * check found nothing. After the projections catch up the booking leaves the unmatched list, the
 * lead's appointments carry it (`matchedBy: 'manual'`) and the lead is booked with its mismatch
 * closed. Linking again is a no-op; a booking linked to another lead is refused; unknown ids 404.
 */
import type { Position } from '@recon/eventstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seeder } from '../src/testing/seeder';
import { errorCode, request } from './testing/http';
import {
  projectionsCaughtUp,
  startProjectedTestApp,
  stopProjectedTestApp,
  type ProjectedTestApp,
} from './testing/projected-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

const now = new Date('2030-06-05T12:00:00.000Z');
let p: ProjectedTestApp;
let a: { ws: string; auth: Record<string, string> };
let b: { ws: string; auth: Record<string, string> };

beforeAll(async () => {
  p = await startProjectedTestApp({ name: 'appointment-link', clock: () => now, reconcileRoutes: true });
  a = await createWorkspaceWithKey(p.t.baseUrl, 'link-a');
  b = await createWorkspaceWithKey(p.t.baseUrl, 'link-b');
  const head = await new Seeder(a.ws)
    .noEvidence('lead-x')
    .booked('lead-other', 'appt-other')
    .unmatchedBooking('appt-free')
    .flush(p.t.store);
  await caughtUp(head);
});
afterAll(() => stopProjectedTestApp(p));

const caughtUp = (position: Position | string) => projectionsCaughtUp(p, position);

const path = (ws: string) => `/v1/workspaces/${ws}/appointments:link`;
const link = (body: unknown, auth = a.auth, ws = a.ws) =>
  request(p.t.baseUrl, 'POST', path(ws), { headers: auth, body });
const get = (url: string) => request(p.t.baseUrl, 'GET', url, { headers: a.auth });
const unmatchedIds = async () =>
  (
    (await get(`/v1/workspaces/${a.ws}/appointments?unmatched=true`)).body['items'] as {
      providerAppointmentId: string;
    }[]
  ).map((i) => i.providerAppointmentId);

describe('POST …/appointments:link', () => {
  it('links an unmatched booking: unmatched list, lead appointments (manual), state and mismatch follow', async () => {
    expect(await unmatchedIds()).toEqual(['appt-free']);
    const before = await get(`/v1/workspaces/${a.ws}/leads/lead-x`);
    expect(before.body['state']).toBe('not_booked');
    expect((before.body['mismatches'] as { kind: string }[]).map((m) => m.kind)).toEqual([
      'sentiment_booked_no_evidence',
    ]);

    const r = await link({ provider: 'ghl', providerAppointmentId: 'appt-free', leadId: 'lead-x' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      linked: true,
      leadId: 'lead-x',
      provider: 'ghl',
      providerAppointmentId: 'appt-free',
      alreadyLinked: false,
      position: expect.any(String),
    });
    expect(r.headers.get('x-recon-position')).toBe(r.body['position']);
    await caughtUp(r.body['position'] as string);

    expect(await unmatchedIds()).toEqual([]);
    const appointments = await get(`/v1/workspaces/${a.ws}/leads/lead-x/appointments`);
    expect(appointments.body['items']).toEqual([
      expect.objectContaining({ provider: 'ghl', providerAppointmentId: 'appt-free', matchedBy: 'manual' }),
    ]);
    const after = await get(`/v1/workspaces/${a.ws}/leads/lead-x`);
    expect(after.body['state']).toBe('booked');
    expect(after.body['mismatches']).toEqual([]);
    const open = await get(`/v1/workspaces/${a.ws}/mismatches`);
    expect((open.body['items'] as { leadId: string }[]).filter((m) => m.leadId === 'lead-x')).toEqual([]);
    const stats = await get(`/v1/workspaces/${a.ws}/stats`);
    expect(stats.body['unmatchedBookings']).toBe(0);
  });

  it('is idempotent: the lead it already has answers alreadyLinked and appends nothing', async () => {
    const head = (await p.t.store.readAll('start' as Position, 10_000)).events.length;
    const r = await link({ provider: 'ghl', providerAppointmentId: 'appt-free', leadId: 'lead-x' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ linked: true, alreadyLinked: true, position: null });
    expect(r.headers.get('x-recon-position')).toBeNull();
    expect((await p.t.store.readAll('start' as Position, 10_000)).events.length).toBe(head);
  });

  it('409 for a booking linked to another lead; 404 for an unknown booking or lead; 400 for a bad body', async () => {
    const other = await link({ provider: 'ghl', providerAppointmentId: 'appt-other', leadId: 'lead-x' });
    expect(other.status).toBe(409);
    expect(errorCode(other)).toBe('APPOINTMENT_LINKED_TO_OTHER_LEAD');
    const noBooking = await link({ provider: 'calendly', providerAppointmentId: 'appt-free', leadId: 'lead-x' });
    expect(noBooking.status).toBe(404);
    expect(errorCode(noBooking)).toBe('APPOINTMENT_NOT_FOUND');
    const noLead = await link({ provider: 'ghl', providerAppointmentId: 'appt-free', leadId: 'lead-nobody' });
    expect(noLead.status).toBe(404);
    expect(errorCode(noLead)).toBe('LEAD_NOT_FOUND');
    const bad = await link({ provider: 'zoom', providerAppointmentId: '', leadId: 'lead-x' });
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe('VALIDATION_FAILED');
    const extra = await link({ provider: 'ghl', providerAppointmentId: 'appt-free', leadId: 'lead-x', x: 1 });
    expect(extra.status).toBe(400);
  });

  it("another workspace's key is refused, and that workspace sees none of A's bookings", async () => {
    const r = await link({ provider: 'ghl', providerAppointmentId: 'appt-free', leadId: 'lead-x' }, b.auth);
    expect(r.status).toBe(403);
    const inB = await link({ provider: 'ghl', providerAppointmentId: 'appt-free', leadId: 'lead-x' }, b.auth, b.ws);
    expect(inB.status).toBe(404);
  });
});
