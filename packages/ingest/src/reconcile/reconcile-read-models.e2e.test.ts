/**
 * Reconciliation seen through the projections' read models: a cancellation seen only by polling
 * opens the red review task; bookings made under unknown identities are listed as unmatched with
 * their reason by GET /v1/workspaces/:ws/appointments?unmatched=true.
 */
import type { FastifyInstance } from 'fastify';
import { startProjections, type ProjectionsHandle } from '@recon/projections';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReconcileTick } from '../scheduler/run-reconcile-tick';
import { reconcileLead } from './reconcile-lead';
import { bareApp, testSendError } from './testing/bare-app';
import { startHarness, type Harness } from './testing/reconcile-harness';
import { unmatchedAppointmentsRoute } from './unmatched-appointments-route';

let h: Harness;
let projections: ProjectionsHandle;
let app: FastifyInstance;
let url = '';

beforeAll(async () => {
  h = await startHarness({ name: 'reconcile-read-models' });
  projections = startProjections({ store: h.store, db: h.db, clock: () => new Date() });
  ({ app, url } = await bareApp(unmatchedAppointmentsRoute({ db: h.db, sendError: testSendError })));
});
afterAll(async () => {
  await app?.close();
  await projections?.stop();
  await h?.close();
});

const caughtUp = async () =>
  expect((await projections.waitUntilCaughtUp(undefined, { timeoutMs: 15_000 })).ok).toBe(true);

describe('reconciliation in the read models', () => {
  it('a cancellation seen only by polling opens a red meeting-canceled task', async () => {
    const ws = await h.createWorkspace({ name: 'Tasks', calendly: false });
    await h.putLead(ws.id, 'red-lead', {
      ghlContactId: 'red-contact',
      sentiment: { label: 'Meeting Booked', classifiedAt: '2026-01-01T00:00:00Z' },
    });
    const appt = h.ghl.addAppointment({
      locationId: ws.locationId,
      contactId: 'red-contact',
      startTime: new Date(Date.now() + 2 * 86_400_000),
    });
    await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'red-lead', source: 'poller' });
    h.ghl.updateAppointment(appt.id, { appointmentStatus: 'cancelled' });
    await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'red-lead', source: 'poller' });
    await caughtUp();
    const { rows: tasks } = await sql<{ kind: string; severity: string; status: string }>`
      SELECT kind, severity, status FROM follow_up_tasks WHERE workspace_id = ${ws.id} AND lead_id = 'red-lead'`.execute(
      h.db,
    );
    expect(tasks).toEqual([{ kind: 'meeting-canceled', severity: 'red', status: 'open' }]);
    const { rows: lead } = await sql<{ booking_state: string; ghl_check_outcome: unknown }>`
      SELECT l.booking_state, c.outcome AS ghl_check_outcome FROM lead_lifecycle l
      JOIN lead_provider_checks c ON c.workspace_id = l.workspace_id AND c.lead_id = l.lead_id AND c.provider = 'ghl'
      WHERE l.workspace_id = ${ws.id} AND l.lead_id = 'red-lead'`.execute(h.db);
    expect(lead[0]).toMatchObject({ booking_state: 'canceled', ghl_check_outcome: { kind: 'found', count: 1 } });
  });

  it('bookings under unknown identities are listed as unmatched, with the reason', async () => {
    const ws = await h.createWorkspace({ name: 'Drift' });
    await h.putLead(ws.id, 'known', { email: 'known@example.com', ghlContactId: 'known-contact' });
    const stranger = h.calendly.addBooking({
      organizationUri: ws.organizationUri,
      email: 'colleague@example.com',
      startTime: new Date(Date.now() + 86_400_000),
    });
    await runReconcileTick(h.deps, { workspaceIds: [ws.id] });
    await caughtUp();
    const res = await fetch(`${url}/v1/workspaces/${ws.id}/appointments?unmatched=true&limit=10`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: { providerAppointmentId: string; leadId: null; reason: string }[];
      nextCursor: string | null;
    };
    expect(body.items.map((i) => [i.providerAppointmentId, i.leadId, i.reason])).toEqual([
      [stranger.inviteeUri, null, 'no_lead_with_invitee_email'],
    ]);
    expect(body.nextCursor).toBeNull();
    expect(JSON.stringify(body)).not.toContain('colleague@example.com');
    expect((await fetch(`${url}/v1/workspaces/${ws.id}/appointments?unmatched=true&cursor=garbage`)).status).toBe(400);
    expect((await fetch(`${url}/v1/workspaces/${ws.id}/appointments`)).status).toBe(400);
  });
});
