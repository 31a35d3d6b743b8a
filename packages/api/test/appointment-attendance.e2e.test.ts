/**
 * `POST …/appointments/:appointmentId/attendance` over real HTTP on real PostgreSQL with the
 * projections running: an operator answers whether an ended meeting took place. The answer is an
 * `AppointmentAttended` / `AppointmentNoShowMarked` event with `source: 'manual'`; the lead then
 * reads `completed` or `no_show` with `assumed: false` (before: completed by the clock, `assumed:
 * true`). The same answer twice appends nothing; a changed answer appends the change; unknown ids
 * 404, a meeting not ended or not held 409, a malformed body 400.
 */
import { appointmentStreamName } from '@recon/domain';
import { appointmentPathId } from '@recon/ingest';
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

/** After the seeder's default meeting (2030-06-18 15:00–15:30). */
const now = new Date('2030-06-20T12:00:00.000Z');
const INVITEE = 'https://api.calendly.com/scheduled_events/EV1/invitees/INV1';
let p: ProjectedTestApp;
let a: { ws: string; auth: Record<string, string> };

beforeAll(async () => {
  p = await startProjectedTestApp({ name: 'appointment-attendance', clock: () => now, reconcileRoutes: true });
  a = await createWorkspaceWithKey(p.t.baseUrl, 'attendance-a');
  const head = await new Seeder(a.ws)
    .booked('lead-ended', 'appt-ended')
    .canceledMeeting('lead-canceled', 'appt-canceled')
    .registered('lead-future')
    .observe({
      leadId: 'lead-future',
      providerAppointmentId: 'appt-future',
      startAt: '2030-07-01T10:00:00.000Z',
      endAt: '2030-07-01T10:30:00.000Z',
      providerUpdatedAt: '2030-06-01T10:00:00.000Z',
    })
    .registered('lead-cal')
    .observe({
      leadId: 'lead-cal',
      provider: 'calendly',
      providerAppointmentId: INVITEE,
      calendlyEventUri: 'https://api.calendly.com/scheduled_events/EV1',
      providerUpdatedAt: '2030-06-01T10:00:00.000Z',
    })
    .flush(p.t.store);
  await caughtUp(head);
});
afterAll(() => stopProjectedTestApp(p));

const caughtUp = (position: Position | string) => projectionsCaughtUp(p, position);

const answer = (id: string, body: unknown, auth = a.auth) =>
  request(p.t.baseUrl, 'POST', `/v1/workspaces/${a.ws}/appointments/${id}/attendance`, { headers: auth, body });
const lead = async (leadId: string) =>
  (await request(p.t.baseUrl, 'GET', `/v1/workspaces/${a.ws}/leads/${leadId}`, { headers: a.auth })).body;
const streamTypes = async (provider: 'ghl' | 'calendly', id: string) =>
  (await p.t.store.readStream(appointmentStreamName(a.ws, provider, id))).map((e) => ({
    type: e.type,
    source: (e.data as { source?: string }).source,
  }));

describe('POST …/appointments/:appointmentId/attendance', () => {
  it('records a no-show with source manual; the lead reads no_show, no longer assumed completed', async () => {
    expect(await lead('lead-ended')).toMatchObject({ state: 'completed', assumed: true });
    const r = await answer(appointmentPathId('ghl', 'appt-ended'), { attended: false });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      provider: 'ghl',
      providerAppointmentId: 'appt-ended',
      leadId: 'lead-ended',
      attended: false,
      source: 'manual',
      recordedAt: now.toISOString(),
      alreadyRecorded: false,
      position: expect.any(String),
    });
    expect(r.headers.get('x-recon-position')).toBe(r.body['position']);
    await caughtUp(r.body['position'] as string);
    expect(await lead('lead-ended')).toMatchObject({ state: 'no_show', assumed: false });
    expect((await streamTypes('ghl', 'appt-ended')).at(-1)).toEqual({
      type: 'AppointmentNoShowMarked',
      source: 'manual',
    });
  });

  it('is idempotent: the same answer appends nothing; a changed answer appends the change', async () => {
    const before = (await streamTypes('ghl', 'appt-ended')).length;
    const again = await answer(appointmentPathId('ghl', 'appt-ended'), { attended: false });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ alreadyRecorded: true, position: null, source: 'manual', attended: false });
    expect((await streamTypes('ghl', 'appt-ended')).length).toBe(before);

    const changed = await answer(appointmentPathId('ghl', 'appt-ended'), { attended: true });
    expect(changed.body).toMatchObject({ alreadyRecorded: false, attended: true, source: 'manual' });
    await caughtUp(changed.body['position'] as string);
    expect((await streamTypes('ghl', 'appt-ended')).slice(before)).toEqual([
      { type: 'AppointmentNoShowRetracted', source: 'manual' },
      { type: 'AppointmentAttended', source: 'manual' },
    ]);
    expect(await lead('lead-ended')).toMatchObject({ state: 'completed', assumed: false });
    // The lead's appointments show who answered: the attendance event's source in the history.
    const list = await request(p.t.baseUrl, 'GET', `/v1/workspaces/${a.ws}/leads/lead-ended/appointments`, {
      headers: a.auth,
    });
    const item = (list.body['items'] as { status: string; history: { eventType: string; source: string }[] }[])[0];
    expect(item?.status).toBe('showed');
    expect((item as unknown as { attendance: unknown }).attendance).toEqual({
      attended: true,
      source: 'manual',
      recordedAt: now.toISOString(),
    });
    expect(item?.history).toContainEqual(
      expect.objectContaining({ eventType: 'AppointmentAttended', source: 'manual' }),
    );
  });

  it('takes a Calendly invitee URI as a percent-encoded path id', async () => {
    const r = await answer(appointmentPathId('calendly', INVITEE), { attended: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ provider: 'calendly', providerAppointmentId: INVITEE, leadId: 'lead-cal' });
    await caughtUp(r.body['position'] as string);
    expect(await lead('lead-cal')).toMatchObject({ state: 'completed', assumed: false });
  });

  it('answers 404 for an unknown appointment or provider, 409 for a meeting not ended or not held, 400 for a bad body', async () => {
    const unknown = await answer(appointmentPathId('ghl', 'appt-nope'), { attended: true });
    expect([unknown.status, errorCode(unknown)]).toEqual([404, 'APPOINTMENT_NOT_FOUND']);
    const badProvider = await answer(appointmentPathId('zoom', 'appt-ended'), { attended: true });
    expect([badProvider.status, errorCode(badProvider)]).toEqual([404, 'APPOINTMENT_NOT_FOUND']);
    const future = await answer(appointmentPathId('ghl', 'appt-future'), { attended: true });
    expect([future.status, errorCode(future)]).toEqual([409, 'MEETING_NOT_ENDED']);
    const canceled = await answer(appointmentPathId('ghl', 'appt-canceled'), { attended: false });
    expect([canceled.status, errorCode(canceled)]).toEqual([409, 'MEETING_NOT_HELD']);
    for (const body of [{ attended: 'yes' }, {}, { attended: true, extra: 1 }]) {
      const bad = await answer(appointmentPathId('ghl', 'appt-ended'), body);
      expect(bad.status).toBe(400);
    }
    expect((await streamTypes('ghl', 'appt-future')).map((e) => e.type)).toEqual(['AppointmentBooked']);
  });

  it('is refused without the workspace key', async () => {
    const r = await answer(appointmentPathId('ghl', 'appt-ended'), { attended: true }, {});
    expect(r.status).toBe(401);
  });
});
