/**
 * Issue 18 §2: a reschedule stays one meeting. `GET …/leads/:leadId/appointments` gives every
 * appointment of one reschedule chain the same `meetingChainId` (the first booking's
 * providerAppointmentId), the chain's `chainLength` (how many times the meeting was set: 1 + its
 * reschedules, new Calendly invitees and GHL moves of one id alike) and `rescheduledAfterStart` (a
 * reschedule made, by the provider's update time, after the start it moved). Real HTTP, real
 * PostgreSQL, projections running; the same answers after `rebuildProjections`.
 */
import type { Position } from '@recon/eventstore';
import { rebuildProjections } from '@recon/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seeder } from '../src/testing/seeder';
import { configureCalendly } from './testing/calendly-workspace';
import { CALENDLY_FIXTURE_KEY, fixtureJson, signCalendly } from './testing/fixtures';
import { request } from './testing/http';
import { startProjectedTestApp, stopProjectedTestApp, type ProjectedTestApp } from './testing/projected-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

const now = new Date('2030-06-30T12:00:00.000Z');
const EV = (n: number) => `https://api.calendly.com/scheduled_events/EV${n}`;
const INV = (n: number) => `${EV(n)}/invitees/INV${n}`;
const at = (day: number, hour = 15) =>
  `2030-06-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const half = (day: number, hour = 15) => at(day, hour).replace(':00:00.000Z', ':30:00.000Z');

let p: ProjectedTestApp;
let a: { ws: string; auth: Record<string, string> };

/** Invitee n of a Calendly chain: booked, then (unless last) replaced by invitee n+1. */
function calendlyChain(s: Seeder, leadId: string, days: readonly number[]): Seeder {
  days.forEach((day, i) => {
    const n = i + 1;
    const common = {
      leadId,
      provider: 'calendly' as const,
      providerAppointmentId: INV(n),
      calendlyEventUri: EV(n),
      startAt: at(day),
      endAt: half(day),
    };
    s.observe({
      ...common,
      rescheduledFrom: n > 1 ? INV(n - 1) : null,
      providerUpdatedAt: at(n, 9),
      observedAt: at(n, 9),
    });
    if (n < days.length) {
      s.observe({
        ...common,
        status: 'canceled',
        canceledBy: 'invitee',
        rescheduledTo: INV(n + 1),
        providerUpdatedAt: at(n + 1, 9),
        observedAt: at(n + 1, 9),
      });
    }
  });
  return s;
}

beforeAll(async () => {
  p = await startProjectedTestApp({ name: 'meeting-chain', clock: () => now });
  a = await createWorkspaceWithKey(p.t.baseUrl, 'meeting-chain');
  const s = new Seeder(a.ws).registered('lead-cal');
  calendlyChain(s, 'lead-cal', [18, 19, 21]);
  const head = await s
    .registered('lead-moved')
    .observe({ leadId: 'lead-moved', providerAppointmentId: 'appt-moved', providerUpdatedAt: at(1, 10) })
    .observe({
      leadId: 'lead-moved',
      providerAppointmentId: 'appt-moved',
      startAt: at(20),
      endAt: half(20),
      providerUpdatedAt: at(3, 10),
      observedAt: at(3, 10),
    })
    .observe({
      leadId: 'lead-moved',
      providerAppointmentId: 'appt-moved',
      startAt: at(22),
      endAt: half(22),
      providerUpdatedAt: at(5, 10),
      observedAt: at(5, 10),
    })
    .registered('lead-late')
    .observe({ leadId: 'lead-late', providerAppointmentId: 'appt-late', providerUpdatedAt: at(1, 10) })
    .observe({
      leadId: 'lead-late',
      providerAppointmentId: 'appt-late',
      startAt: at(25),
      endAt: half(25),
      // Ten minutes into the meeting set for 06-18 15:00.
      providerUpdatedAt: '2030-06-18T15:10:00.000Z',
      observedAt: '2030-06-18T15:10:05.000Z',
    })
    .booked('lead-plain', 'appt-plain')
    .flush(p.t.store);
  expect((await p.projections.waitUntilCaughtUp(head as Position, { timeoutMs: 15_000 })).ok).toBe(true);
});
afterAll(() => stopProjectedTestApp(p));

type Item = {
  providerAppointmentId: string;
  meetingChainId: string;
  chainLength: number;
  rescheduledAfterStart: boolean;
};
async function chains(leadId: string, w = a) {
  const r = await request(p.t.baseUrl, 'GET', `/v1/workspaces/${w.ws}/leads/${leadId}/appointments`, {
    headers: w.auth,
  });
  expect(r.status).toBe(200);
  return (r.body['items'] as Item[]).map((i) => ({
    providerAppointmentId: i.providerAppointmentId,
    meetingChainId: i.meetingChainId,
    chainLength: i.chainLength,
    rescheduledAfterStart: i.rescheduledAfterStart,
  }));
}

const LEADS = ['lead-cal', 'lead-moved', 'lead-late', 'lead-plain'] as const;

describe('reschedule chains in GET …/leads/:leadId/appointments', () => {
  it('a Calendly chain of three invitees is one meeting set three times', async () => {
    expect(await chains('lead-cal')).toEqual(
      [1, 2, 3].map((n) => ({
        providerAppointmentId: INV(n),
        meetingChainId: INV(1),
        chainLength: 3,
        rescheduledAfterStart: false,
      })),
    );
  });

  it('a GHL appointment moved twice keeps its own id as the chain id, set three times', async () => {
    expect(await chains('lead-moved')).toEqual([
      {
        providerAppointmentId: 'appt-moved',
        meetingChainId: 'appt-moved',
        chainLength: 3,
        rescheduledAfterStart: false,
      },
    ]);
  });

  it('a reschedule made after the start it moved reads rescheduledAfterStart', async () => {
    expect(await chains('lead-late')).toEqual([
      { providerAppointmentId: 'appt-late', meetingChainId: 'appt-late', chainLength: 2, rescheduledAfterStart: true },
    ]);
  });

  it('a booking never rescheduled is a chain of one', async () => {
    expect(await chains('lead-plain')).toEqual([
      {
        providerAppointmentId: 'appt-plain',
        meetingChainId: 'appt-plain',
        chainLength: 1,
        rescheduledAfterStart: false,
      },
    ]);
  });
});

describe('a Calendly reschedule pair over signed webhooks', () => {
  it('the new invitee created before the old one is canceled: one chain named after the old invitee', async () => {
    const w = await createWorkspaceWithKey(p.t.baseUrl, 'meeting-chain-wire');
    await configureCalendly(p.t.baseUrl, w.ws);
    const put = await request(p.t.baseUrl, 'PUT', `/v1/workspaces/${w.ws}/leads/lead-wire`, {
      headers: w.auth,
      body: { email: 'jordan.lead@example.com' },
    });
    expect(put.status).toBeLessThan(300);
    // The webhooks match the lead by email through the projections' identities: registered first.
    expect((await p.projections.waitUntilCaughtUp(put.body['position'] as never, { timeoutMs: 15_000 })).ok).toBe(true);
    let position = '';
    for (const name of ['invitee-created-after-reschedule.json', 'invitee-canceled-rescheduled.json']) {
      const raw = JSON.stringify(fixtureJson(`calendly/${name}`));
      const res = await request(p.t.baseUrl, 'POST', `/webhooks/calendly/${w.ws}`, {
        raw,
        headers: {
          'calendly-webhook-signature': signCalendly(raw, CALENDLY_FIXTURE_KEY, Math.floor(now.getTime() / 1000)),
        },
      });
      expect(res.status).toBe(200);
      position = res.body['position'] as string;
    }
    expect((await p.projections.waitUntilCaughtUp(position as never, { timeoutMs: 15_000 })).ok).toBe(true);
    const items = await chains('lead-wire', w);
    expect(items).toHaveLength(2);
    const old = fixtureJson<{ payload: { uri: string; new_invitee: string } }>(
      'calendly/invitee-canceled-rescheduled.json',
    ).payload;
    expect(items.map((i) => i.providerAppointmentId).sort()).toEqual([old.uri, old.new_invitee].sort());
    expect(items.map((i) => [i.meetingChainId, i.chainLength])).toEqual([
      [old.uri, 2],
      [old.uri, 2],
    ]);
  });
});

// Last: it stops the live projections.
describe('after rebuildProjections', () => {
  it('rebuildProjections answers the same chains', async () => {
    const live = await Promise.all(LEADS.map((l) => chains(l)));
    await p.projections.stop();
    expect(await rebuildProjections({ store: p.t.store, db: p.t.db }, ['core'])).toMatchObject({ ok: true });
    expect(await Promise.all(LEADS.map((l) => chains(l)))).toEqual(live);
  });
});
