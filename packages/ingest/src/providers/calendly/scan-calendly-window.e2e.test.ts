/**
 * The Calendly window scan (polling without a lead): a rescheduled invitee whose email is no longer
 * any lead's inherits the lead of the invitee it replaces (issue 13 defect 1, by polling).
 */
import { appointmentStreamName } from '@recon/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileLead } from '../../reconcile/reconcile-lead';
import { startHarness, type Harness } from '../../reconcile/testing/reconcile-harness';
import { workspaceProviders } from '../../reconcile/workspace-providers';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ name: 'scan-calendly-window' });
});
afterAll(async () => {
  await h?.close();
});

describe('Calendly window scan', () => {
  it('a new invitee of a reschedule, under an email no lead has any more, is observed for the lead of the invitee it replaces', async () => {
    const ws = await h.createWorkspace({ name: 'Scan', ghl: false });
    const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    const start = Date.now() + 3 * 86_400_000;
    await h.putLead(ws.id, 'lead-scan', { email: 'scan.a@example.com' });
    const first = h.calendly.addBooking({
      organizationUri: ws.organizationUri,
      email: 'scan.a@example.com',
      startTime: start,
      at: ago(3),
    });
    await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-scan', source: 'poller' });
    await h.putLead(ws.id, 'lead-scan', { email: 'scan.b@example.com' });
    const second = h.calendly.rescheduleInvitee(first.inviteeUri, start + 86_400_000, { at: ago(2) });
    const calendly = (await workspaceProviders(h.deps, ws.id)).connections.calendly;
    if (calendly?.scanWindow === undefined) throw new Error('no Calendly connection');
    const r = await calendly.scanWindow(h.deps, {
      workspaceId: ws.id,
      source: 'poller',
      minStartTime: new Date(Date.now() - 86_400_000).toISOString(),
      maxStartTime: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(r.ok).toBe(true);
    const events = await h.store.readStream(appointmentStreamName(ws.id, 'calendly', second.inviteeUri));
    expect(events.map((e) => [e.type, e.data['leadId'], e.data['rescheduledFrom'] ?? null])).toEqual([
      ['AppointmentBooked', 'lead-scan', first.inviteeUri],
    ]);
  });
});
