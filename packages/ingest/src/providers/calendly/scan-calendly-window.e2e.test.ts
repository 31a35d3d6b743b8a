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

  it('a booking token read by the scan names its lead only when signed for the workspace; spoofed ones are counted', async () => {
    const ws = await h.createWorkspace({ name: 'Scan tokens', ghl: false });
    const start = Date.now() + 5 * 86_400_000;
    await h.putLead(ws.id, 'lead-t', { email: 'token.lead@example.com' });
    const refused = (reason: string) =>
      h.deps.bookingTokens.refusals().find((r) => r.provider === 'calendly' && r.reason === reason)?.count ?? 0;
    const before = { unsigned: refused('unsigned'), invalid: refused('invalid') };
    const cases = [
      { utmContent: 'recon:lead-t', leadId: null },
      { utmContent: h.deps.bookingTokens.issue('ws_another', 'lead-t'), leadId: null },
      { utmContent: h.deps.bookingTokens.issue(ws.id, 'lead-t'), leadId: 'lead-t' },
    ];
    const booked = cases.map((c, i) =>
      h.calendly.addBooking({
        organizationUri: ws.organizationUri,
        email: `stranger.${i}@example.net`, // matches no lead: only the token could name one
        startTime: start + i * 3_600_000,
        utmContent: c.utmContent,
      }),
    );
    const calendly = (await workspaceProviders(h.deps, ws.id)).connections.calendly;
    if (calendly?.scanWindow === undefined) throw new Error('no Calendly connection');
    const r = await calendly.scanWindow(h.deps, {
      workspaceId: ws.id,
      source: 'poller',
      minStartTime: new Date(Date.now() + 4 * 86_400_000).toISOString(),
      maxStartTime: new Date(Date.now() + 6 * 86_400_000).toISOString(),
    });
    expect(r.ok).toBe(true);
    for (const [i, b] of booked.entries()) {
      const [first] = await h.store.readStream(appointmentStreamName(ws.id, 'calendly', b.inviteeUri));
      expect(first?.data['leadId']).toBe(cases[i]?.leadId);
      expect(first?.data['matchKeys']).toMatchObject({ utmLeadIds: cases[i]?.leadId === null ? [] : ['lead-t'] });
    }
    expect({ unsigned: refused('unsigned'), invalid: refused('invalid') }).toEqual({
      unsigned: before.unsigned + 1,
      invalid: before.invalid + 1,
    });
  });
});
