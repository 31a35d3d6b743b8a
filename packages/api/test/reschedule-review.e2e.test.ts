/**
 * The `meeting-reschedule-unconfirmed` review over the API on real PostgreSQL with the projections
 * running: `rescheduleGraceMinutes` through GET/PUT …/settings (default 30, 0 allowed, bounded), and
 * a Calendly invitee replaced by a reschedule whose new invitee recon never saw. (The fetch of the
 * new invitee against the Calendly simulator is packages/ingest's reschedule-confirm-sweep.e2e.test.ts;
 * this app has no provider connection, so the sweep counts a successful check of the lead after the
 * grace period as having looked.) The red task is listed by kind and severity, the lead stays
 * booked with grade `provider_pending`, and sweeping again opens nothing new.
 */
import { appointmentStreamName } from '@recon/domain';
import { sweepRescheduleConfirmations } from '@recon/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seeder } from '../src/testing/seeder';
import { errorCode, request } from './testing/http';
import {
  projectionsCaughtUp,
  startProjectedTestApp,
  stopProjectedTestApp,
  type ProjectedTestApp,
} from './testing/projected-app';
import { admin } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

const OLD = 'https://api.calendly.com/scheduled_events/EVT-OLD/invitees/INV-OLD';
const NEW = 'https://api.calendly.com/scheduled_events/EVT-NEW/invitees/INV-NEW';
const REPLACED_AT = '2030-06-02T10:00:00.000Z';
const now = new Date('2030-06-03T12:00:00.000Z');
let p: ProjectedTestApp;
let a: { ws: string; auth: Record<string, string> };

beforeAll(async () => {
  p = await startProjectedTestApp({ name: 'reschedule-review', clock: () => now });
  a = await createWorkspaceWithKey(p.t.baseUrl, 'reschedule-review');
  const seeded = new Seeder(a.ws);
  for (const leadId of ['lead-moved', 'lead-unchecked'])
    seeded
      .registered(leadId)
      .observe({ leadId, provider: 'calendly', providerAppointmentId: `${OLD}-${leadId}` })
      .observe({
        leadId,
        provider: 'calendly',
        providerAppointmentId: `${OLD}-${leadId}`,
        status: 'canceled',
        rescheduledTo: `${NEW}-${leadId}`,
        providerUpdatedAt: REPLACED_AT,
        observedAt: '2030-06-02T10:00:03.000Z',
      });
  // Only lead-moved was checked by Calendly (successfully) after the grace period.
  seeded.checkedNone('lead-moved', 'calendly', '2030-06-03T09:00:00.000Z');
  await projectionsCaughtUp(p, await seeded.flush(p.t.store));
});
afterAll(() => stopProjectedTestApp(p));

const call = (method: 'GET' | 'PUT', url: string, body?: unknown) =>
  request(p.t.baseUrl, method, url, { headers: a.auth, ...(body !== undefined ? { body } : {}) });
const sweep = () => sweepRescheduleConfirmations({ db: p.t.db, store: p.t.store }, a.ws, now, {});

describe('rescheduleGraceMinutes and meeting-reschedule-unconfirmed over the API', () => {
  it('the setting defaults to 30, takes 0, refuses a negative or over a week', async () => {
    expect((await call('GET', `/v1/workspaces/${a.ws}/settings`)).body).toMatchObject({ rescheduleGraceMinutes: 30 });
    for (const bad of [-1, 10_081, 1.5]) {
      const r = await request(p.t.baseUrl, 'PUT', `/v1/workspaces/${a.ws}/settings`, {
        headers: admin,
        body: { rescheduleGraceMinutes: bad },
      });
      expect(r.status).toBe(400);
      expect(errorCode(r)).toBe('VALIDATION_FAILED');
    }
    const zero = await request(p.t.baseUrl, 'PUT', `/v1/workspaces/${a.ws}/settings`, {
      headers: admin,
      body: { rescheduleGraceMinutes: 0 },
    });
    expect(zero.body).toMatchObject({ rescheduleGraceMinutes: 0 });
    const back = await request(p.t.baseUrl, 'PUT', `/v1/workspaces/${a.ws}/settings`, { headers: admin, body: {} });
    expect(back.body).toMatchObject({ rescheduleGraceMinutes: 30 });
  });

  it('opens one red task for the checked lead only; the lead stays booked, provider_pending; again: nothing', async () => {
    expect(await sweep()).toMatchObject({ unconfirmed: 1, failures: 0 });
    expect(await sweep()).toMatchObject({ unconfirmed: 0 });
    const events = await p.t.store.readStream(appointmentStreamName(a.ws, 'calendly', `${OLD}-lead-moved`));
    expect(events.filter((e) => e.type === 'AppointmentRescheduleUnconfirmed')).toHaveLength(1);
    await projectionsCaughtUp(p, await p.t.store.lastCommittedPosition());
    const red = await call('GET', `/v1/workspaces/${a.ws}/tasks?kind=meeting-reschedule-unconfirmed&severity=red`);
    expect(red.status).toBe(200);
    expect(red.body['items']).toEqual([
      expect.objectContaining({
        leadId: 'lead-moved',
        kind: 'meeting-reschedule-unconfirmed',
        severity: 'red',
        appointmentId: `${OLD}-lead-moved`,
      }),
    ]);
    expect((await call('GET', `/v1/workspaces/${a.ws}/leads/lead-moved`)).body).toMatchObject({
      state: 'booked',
      grade: 'provider_pending',
    });
    const stats = await call('GET', `/v1/workspaces/${a.ws}/stats`);
    expect(stats.body['openTasksByKind']).toMatchObject({ 'meeting-reschedule-unconfirmed': 1 });
  });
});
