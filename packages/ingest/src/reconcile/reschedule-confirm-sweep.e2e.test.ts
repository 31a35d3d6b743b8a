/**
 * Issue 18 §2's second half against the Calendly simulator over real HTTP and real PostgreSQL:
 * a reschedule's `invitee.canceled` (`rescheduled: true`) arrives by webhook and the new invitee's
 * `invitee.created` never does.
 * - Within `rescheduleGraceMinutes` nothing is fetched or decided.
 * - After it, the sweep fetches the new invitee by its URI (`GET …/invitees/{uuid}`): found, it is
 *   ingested for the lead (a chain of two, no review); 404, the lead gets one red
 *   `meeting-reschedule-unconfirmed` task and stays booked (`provider_pending`): never a silent
 *   cancellation. Sweeping and ticking again add nothing.
 * - A 5xx decides nothing (tried again next time).
 * - The new invitee's webhook arriving late closes the task (by recon); a rebuild gives the same rows.
 */
import type { FastifyInstance } from 'fastify';
import { appointmentStreamName } from '@recon/domain';
import {
  getLead,
  getLeadAppointments,
  listTasks,
  rebuildProjections,
  startProjections,
  type ProjectionsDatabase,
  type ProjectionsHandle,
} from '@recon/projections';
import type { CalendlyDemoBooking } from '@recon/simulators';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReconcileTick } from '../scheduler/run-reconcile-tick';
import { webhookRoutes } from '../webhooks/webhook-routes';
import { bareApp, testSendError } from './testing/bare-app';
import { deliverCalendly } from './testing/deliver-calendly';
import { startHarness, type Harness } from './testing/reconcile-harness';
import { rescheduleFetchers, sweepRescheduleConfirmations } from './reschedule-confirm-sweep';
import { workspaceProviders } from './workspace-providers';

let h: Harness;
let projections: ProjectionsHandle;
let app: FastifyInstance;
let url = '';
let ws: { id: string; organizationUri: string };

const MIN = 60_000;
const DAY = 86_400_000;
const KIND = 'meeting-reschedule-unconfirmed';

beforeAll(async () => {
  h = await startHarness({ name: 'reschedule-confirm' });
  projections = startProjections({ store: h.store, db: h.db, clock: () => new Date() });
  ({ app, url } = await bareApp(async (a) => {
    await a.register(webhookRoutes, { ...h.deps, sendError: testSendError });
  }));
  ws = await h.createWorkspace({ name: 'Reschedules', ghl: false });
});
afterAll(async () => {
  await app?.close();
  await projections?.stop();
  await h?.close();
});

const pdb = () => h.db as unknown as Kysely<ProjectionsDatabase>;
const caughtUp = async () =>
  expect((await projections.waitUntilCaughtUp(undefined, { timeoutMs: 15_000 })).ok).toBe(true);

const deliver = (kind: 'invitee.created' | 'invitee.canceled', b: CalendlyDemoBooking, atMs: number) =>
  deliverCalendly(url, ws.id, kind, b, atMs);

/**
 * A lead booked by webhook, rescheduled `minutesAgo` with only the old invitee's cancel delivered.
 * Returns the old booking and the new one (whose `invitee.created` was dropped).
 */
async function rescheduledWithoutSuccessor(leadId: string, minutesAgo: number) {
  const email = `${leadId}@example.com`;
  await h.putLead(ws.id, leadId, { email });
  const createdMs = Date.now() - 3 * 60 * MIN;
  const startMs = Date.now() + 3 * DAY;
  const sim = h.calendly.addBooking({ organizationUri: ws.organizationUri, email, startTime: startMs, at: createdMs });
  const old: CalendlyDemoBooking = { ...sim, email, startMs, endMs: startMs + 30 * MIN, createdMs };
  await deliver('invitee.created', old, createdMs);
  const movedAt = Date.now() - minutesAgo * MIN;
  const newStart = startMs + DAY;
  const next = h.calendly.rescheduleInvitee(old.inviteeUri, newStart, { at: movedAt });
  await deliver('invitee.canceled', { ...old, newInviteeUri: next.inviteeUri }, movedAt);
  const successor: CalendlyDemoBooking = {
    ...next,
    email,
    startMs: newStart,
    endMs: newStart + 30 * MIN,
    createdMs: movedAt,
    oldInviteeUri: old.inviteeUri,
  };
  return { old, successor };
}

async function sweep() {
  const { connections } = await workspaceProviders(h.deps, ws.id);
  return sweepRescheduleConfirmations(h.deps, ws.id, new Date(), rescheduleFetchers(h.deps, connections));
}

const unconfirmedEvents = async (inviteeUri: string) =>
  (await h.store.readStream(appointmentStreamName(ws.id, 'calendly', inviteeUri))).filter(
    (e) => e.type === 'AppointmentRescheduleUnconfirmed',
  );

const tasksOf = async (leadId: string, status: 'open' | 'resolved') => {
  const page = await listTasks(pdb(), ws.id, { leadId, status, kind: KIND });
  if (!page.ok) throw new Error(page.code);
  return page.value.items;
};

describe('reschedule confirmation sweep (Calendly)', () => {
  let lost: Awaited<ReturnType<typeof rescheduledWithoutSuccessor>>;

  it('within the grace period fetches and decides nothing', async () => {
    await rescheduledWithoutSuccessor('lead-recent', 5);
    await caughtUp();
    const before = h.calendly.server.requests.length;
    expect(await sweep()).toEqual({ confirmed: 0, unconfirmed: 0, eventsAppended: 0, failures: 0 });
    expect(h.calendly.server.requests.length).toBe(before);
  });

  it('after it, a new invitee Calendly still has is fetched by its URI and ingested for the lead: one meeting', async () => {
    const { old, successor } = await rescheduledWithoutSuccessor('lead-found', 45);
    await caughtUp();
    const r = await sweep();
    expect(r).toMatchObject({ confirmed: 1, unconfirmed: 0, failures: 0 });
    expect(
      h.calendly.server.requests.some((q) =>
        q.path.endsWith(successor.inviteeUri.split('/scheduled_events')[1] ?? '-'),
      ),
    ).toBe(true);
    await caughtUp();
    const appointments = await getLeadAppointments(pdb(), ws.id, 'lead-found');
    expect(appointments.map((a) => [a.providerAppointmentId, a.status, a.chainLength])).toEqual([
      [old.inviteeUri, 'replaced', 2],
      [successor.inviteeUri, 'scheduled', 2],
    ]);
    expect(appointments[0]?.meetingChainId).toBe(appointments[1]?.meetingChainId);
    expect(await tasksOf('lead-found', 'open')).toEqual([]);
    expect((await getLead(pdb(), ws.id, 'lead-found', new Date()))?.grade).toBe('provider_confirmed');
  });

  it('a 5xx decides nothing; a 404 opens one red task, the lead stays booked and provider_pending', async () => {
    lost = await rescheduledWithoutSuccessor('lead-lost', 45);
    h.calendly.removeInvitee(lost.successor.inviteeUri);
    await caughtUp();
    h.calendly.server.injectFault({ kind: 'status', status: 503 }, { count: 10 });
    expect(await sweep()).toMatchObject({ confirmed: 0, unconfirmed: 0, failures: 1 });
    h.calendly.server.clearFaults();
    expect(await unconfirmedEvents(lost.old.inviteeUri)).toEqual([]);

    expect(await sweep()).toMatchObject({ confirmed: 0, unconfirmed: 1, failures: 0 });
    const [event] = await unconfirmedEvents(lost.old.inviteeUri);
    expect(event?.data).toMatchObject({
      leadId: 'lead-lost',
      rescheduledTo: lost.successor.inviteeUri,
      failureCode: 'PROVIDER_NOT_FOUND',
    });
    await caughtUp();
    expect(await tasksOf('lead-lost', 'open')).toEqual([
      expect.objectContaining({ severity: 'red', provider: 'calendly', appointmentId: lost.old.inviteeUri }),
    ]);
    const lead = await getLead(pdb(), ws.id, 'lead-lost', new Date());
    expect(lead).toMatchObject({ state: 'booked', grade: 'provider_pending' });
    // Idempotent: another sweep and a full tick (the lead check follows the 404 successor too) add nothing.
    expect(await sweep()).toMatchObject({ confirmed: 0, unconfirmed: 0 });
    await runReconcileTick(h.deps, { workspaceIds: [ws.id] });
    await caughtUp();
    expect(await unconfirmedEvents(lost.old.inviteeUri)).toHaveLength(1);
    expect(await tasksOf('lead-lost', 'open')).toHaveLength(1);
  });

  it('the late new invitee closes the task (by recon); a rebuild gives the same task rows', async () => {
    await deliver('invitee.created', lost.successor, lost.successor.createdMs);
    await caughtUp();
    expect(await tasksOf('lead-lost', 'open')).toEqual([]);
    const resolved = await tasksOf('lead-lost', 'resolved');
    expect(resolved).toEqual([
      expect.objectContaining({
        resolvedBy: 'recon',
        note: 'RESCHEDULE_REVIEW_ENDED',
        appointmentId: lost.old.inviteeUri,
      }),
    ]);
    expect((await getLead(pdb(), ws.id, 'lead-lost', new Date()))?.grade).toBe('provider_confirmed');
    const all = async () => {
      const page = await listTasks(pdb(), ws.id, { limit: 100 });
      if (!page.ok) throw new Error(page.code);
      return page.value.items;
    };
    const before = await all();
    expect(await rebuildProjections({ store: h.store, db: h.db }, ['core'])).toMatchObject({ ok: true });
    expect(await all()).toEqual(before);
  });
});
