/**
 * The `meeting-outcome-unknown` review over real HTTP on real PostgreSQL with the projections
 * running. `attendanceReview` is off by default (GET …/settings says so); with it off the sweep the
 * reconcile tick runs (`sweepAttendanceReviews`) writes nothing. With it on (PUT …/settings) an
 * ended booking without an attendance signal gets one amber task — never a meeting still ahead,
 * never a canceled one, never one the provider or an operator already answered — and sweeping
 * again opens nothing new. The operator's answer (`POST …/attendance`) closes it (resolved by recon,
 * `OUTCOME_REVIEW_ENDED`). A rebuild of the core projection gives the same task rows.
 */
import { appointmentStreamName } from '@recon/domain';
import { appointmentPathId, sweepAttendanceReviews } from '@recon/ingest';
import type { Position } from '@recon/eventstore';
import { rebuildProjections } from '@recon/projections';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seeder } from '../src/testing/seeder';
import { request } from './testing/http';
import {
  projectionsCaughtUp,
  startProjectedTestApp,
  stopProjectedTestApp,
  type ProjectedTestApp,
} from './testing/projected-app';
import { configureCalendly } from './testing/calendly-workspace';
import { CRON_SECRET } from './testing/reconcile-test-routes';
import { admin } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

/** After the seeder's default meeting (2030-06-18 15:00–15:30). */
const now = new Date('2030-06-20T12:00:00.000Z');
let p: ProjectedTestApp;
let a: { ws: string; auth: Record<string, string> };

beforeAll(async () => {
  p = await startProjectedTestApp({ name: 'attendance-review', clock: () => now, reconcileRoutes: true });
  a = await createWorkspaceWithKey(p.t.baseUrl, 'review-a');
  const head = await new Seeder(a.ws)
    .booked('lead-ended', 'appt-ended')
    .booked('lead-answered', 'appt-answered')
    .observe({
      leadId: 'lead-answered',
      providerAppointmentId: 'appt-answered',
      status: 'showed',
      providerUpdatedAt: '2030-06-18T16:00:00.000Z',
      observedAt: '2030-06-18T16:00:05.000Z',
    })
    .canceledMeeting('lead-canceled', 'appt-canceled')
    .registered('lead-future')
    .observe({
      leadId: 'lead-future',
      providerAppointmentId: 'appt-future',
      startAt: '2030-07-01T10:00:00.000Z',
      endAt: '2030-07-01T10:30:00.000Z',
      providerUpdatedAt: '2030-06-01T10:00:00.000Z',
    })
    .flush(p.t.store);
  await caughtUp(head);
});
afterAll(() => stopProjectedTestApp(p));

const caughtUp = (position: Position | string) => projectionsCaughtUp(p, position);

const call = (method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown) =>
  request(p.t.baseUrl, method, url, { headers: a.auth, ...(body !== undefined ? { body } : {}) });
const sweep = () => sweepAttendanceReviews({ db: p.t.db, store: p.t.store }, a.ws, now);
const head = () => p.t.store.lastCommittedPosition();
const tasks = async (status: 'open' | 'resolved') =>
  (await call('GET', `/v1/workspaces/${a.ws}/tasks?status=${status}&kind=meeting-outcome-unknown`)).body['items'] as {
    leadId: string;
    appointmentId: string;
    severity: string;
    note: string | null;
  }[];
const outcomeEvents = async (id: string) =>
  (await p.t.store.readStream(appointmentStreamName(a.ws, 'ghl', id))).filter(
    (e) => e.type === 'AppointmentOutcomeUnknown',
  ).length;

describe('attendanceReview: meeting-outcome-unknown', () => {
  it('is off by default: the sweep writes nothing and no task opens', async () => {
    expect((await call('GET', `/v1/workspaces/${a.ws}/settings`)).body).toMatchObject({ attendanceReview: false });
    expect(await sweep()).toBe(0);
    expect(await outcomeEvents('appt-ended')).toBe(0);
    expect(await tasks('open')).toEqual([]);
  });

  it('on: opens one amber task for the ended booking without a signal only; sweeping again opens nothing', async () => {
    // Settings are the admin's (an operator key reads them).
    const put = await request(p.t.baseUrl, 'PUT', `/v1/workspaces/${a.ws}/settings`, {
      headers: admin,
      body: { attendanceReview: true },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ attendanceReview: true });
    expect(await sweep()).toBe(1);
    expect(await sweep()).toBe(0);
    await caughtUp(await head());
    expect(await tasks('open')).toEqual([
      expect.objectContaining({ leadId: 'lead-ended', appointmentId: 'appt-ended', severity: 'amber' }),
    ]);
    for (const id of ['appt-answered', 'appt-canceled', 'appt-future']) expect(await outcomeEvents(id)).toBe(0);
    // The provider's own report is the answer, with its channel as the source.
    const answered = await call('GET', `/v1/workspaces/${a.ws}/leads/lead-answered/appointments`);
    expect((answered.body['items'] as { attendance: unknown }[])[0]?.attendance).toEqual({
      attended: true,
      source: 'webhook',
      recordedAt: '2030-06-18T16:00:05.000Z',
    });
    expect((await call('GET', `/v1/workspaces/${a.ws}/leads/lead-answered`)).body).toMatchObject({
      state: 'completed',
      assumed: false,
    });
    // Completed stays assumed until attendance is known.
    expect((await call('GET', `/v1/workspaces/${a.ws}/leads/lead-ended`)).body).toMatchObject({
      state: 'completed',
      assumed: true,
    });
  });

  it('the reconcile tick (POST /v1/cron/reconcile) runs the sweep for a workspace with a provider', async () => {
    const b = await createWorkspaceWithKey(p.t.baseUrl, 'review-b');
    await configureCalendly(p.t.baseUrl, b.ws);
    const settings = await request(p.t.baseUrl, 'PUT', `/v1/workspaces/${b.ws}/settings`, {
      headers: admin,
      body: { attendanceReview: true },
    });
    expect(settings.status).toBe(200);
    await caughtUp(await new Seeder(b.ws).booked('lead-b', 'appt-b').flush(p.t.store));
    const tick = await request(p.t.baseUrl, 'POST', '/v1/cron/reconcile', {
      body: { maxLeads: 1 },
      headers: { authorization: `Bearer ${CRON_SECRET}` },
    });
    expect(tick.status).toBe(200);
    const events = await p.t.store.readStream(appointmentStreamName(b.ws, 'ghl', 'appt-b'));
    expect(events.map((e) => e.type)).toContain('AppointmentOutcomeUnknown');
  });

  it('closes when the operator answers; a rebuild gives the same task rows', async () => {
    const r = await call(
      'POST',
      `/v1/workspaces/${a.ws}/appointments/${appointmentPathId('ghl', 'appt-ended')}/attendance`,
      {
        attended: true,
      },
    );
    expect(r.status).toBe(200);
    await caughtUp(r.body['position'] as string);
    expect(await tasks('open')).toEqual([]);
    expect(await tasks('resolved')).toEqual([
      expect.objectContaining({ leadId: 'lead-ended', resolvedBy: 'recon', note: 'OUTCOME_REVIEW_ENDED' }),
    ]);
    expect(await sweep()).toBe(0);

    const rows = async () =>
      (
        await sql<{ r: unknown }>`SELECT row_to_json(x) AS r FROM (SELECT * FROM follow_up_tasks
          WHERE workspace_id = ${a.ws} ORDER BY task_id) x`.execute(p.t.db as unknown as Kysely<unknown>)
      ).rows.map((x) => x.r);
    const live = await rows();
    expect(live.length).toBeGreaterThan(0);
    await p.projections.stop();
    expect(await rebuildProjections({ store: p.t.store, db: p.t.db }, ['core'])).toMatchObject({ ok: true });
    expect(await rows()).toEqual(live);
  });
});
