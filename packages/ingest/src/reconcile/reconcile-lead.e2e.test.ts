import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentStreamName, tasksForEvent, AppointmentEvent } from '@recon/domain';
import { reconcileLead } from './reconcile-lead';
import { startHarness, type Harness } from './testing/reconcile-harness';

let h: Harness;
let ws: { id: string; locationId: string; organizationUri: string };
const soon = () => new Date(Date.now() + 3 * 86_400_000);

beforeAll(async () => {
  h = await startHarness({ name: 'reconcile-lead' });
  ws = await h.createWorkspace({ name: 'Acme' });
});
afterAll(async () => {
  await h?.close();
});

const typesOf = async (leadId: string) =>
  (await h.events((e) => (e.data as { leadId?: unknown }).leadId === leadId)).map((e) => e.type);

describe('reconcileLead against the simulators', () => {
  it('a GHL appointment created outside recon makes the lead booked; the watermark says found 1', async () => {
    await h.putLead(ws.id, 'lead-ghl', {
      ghlContactId: 'contact-1',
      sentiment: { label: 'Interested', classifiedAt: '2026-01-01T00:00:00Z' },
    });
    h.ghl.addAppointment({ locationId: ws.locationId, contactId: 'contact-1', startTime: soon() });
    const r = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-ghl', source: 'poller' });
    expect(r.ok && r.value.bookingState).toBe('booked');
    expect(r.ok && r.value.checks).toEqual([
      { provider: 'ghl', outcome: { kind: 'found', count: 1 } },
      { provider: 'calendly', outcome: { kind: 'skipped', code: 'NO_EMAIL' } },
    ]);
    // evidence beats sentiment (autoCorrectSentiment default on)
    expect(r.ok && r.value.effective).toEqual({ booked: true, basis: 'evidence', autoCorrected: true });
    expect(await typesOf('lead-ghl')).toEqual(expect.arrayContaining(['AppointmentBooked', 'LeadProviderChecked']));
    // a second check finds the same facts: only a new watermark
    const again = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-ghl', source: 'poller' });
    expect(again.ok && again.value.eventsAppended).toBe(1);
  });

  it('a Calendly booking whose webhook never came is found by email (and by an alternate email)', async () => {
    await h.putLead(ws.id, 'lead-cal', { email: 'Ann@Example.com', alternateEmails: ['ann.work@example.com'] });
    h.calendly.addBooking({ organizationUri: ws.organizationUri, email: 'ann@example.com', startTime: soon() });
    h.calendly.addBooking({
      organizationUri: ws.organizationUri,
      email: 'ann.work@example.com',
      startTime: new Date(soon().getTime() + 86_400_000),
    });
    h.calendly.addBooking({
      organizationUri: ws.organizationUri,
      email: 'someone.else@example.com',
      startTime: soon(),
    });
    const r = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-cal', source: 'poller' });
    expect(r.ok && r.value.checks.find((c) => c.provider === 'calendly')?.outcome).toEqual({ kind: 'found', count: 2 });
    expect(r.ok && r.value.bookingState).toBe('booked');
    const booked = await h.events(
      (e) => e.type === 'AppointmentBooked' && (e.data as { leadId?: unknown }).leadId === 'lead-cal',
    );
    expect(booked).toHaveLength(2);
  });

  it('a lead with nothing anywhere becomes not_booked only after a successful check; a failed check keeps it unknown', async () => {
    await h.putLead(ws.id, 'lead-none', { email: 'nobody@example.com', ghlContactId: 'contact-none' });
    h.ghl.server.injectFault({ kind: 'status', status: 401 }, { pathPrefix: '/contacts/contact-none' });
    const failed = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-none', source: 'poller' });
    expect(failed.ok && failed.value.checks.find((c) => c.provider === 'ghl')?.outcome).toEqual({
      kind: 'failed',
      code: 'PROVIDER_UNAUTHORIZED',
    });
    // Calendly answered "none" but GHL, which applies to this lead, did not answer: nothing is proven
    expect(failed.ok && failed.value.bookingState).toBe('unknown');
    h.ghl.server.clearFaults();
    const ok = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-none', source: 'poller' });
    expect(ok.ok && ok.value.checks.map((c) => c.outcome.kind)).toEqual(['none', 'none']);
    expect(ok.ok && ok.value.bookingState).toBe('not_booked');
    // a later failure does not unlearn what both providers answered
    h.ghl.server.injectFault({ kind: 'status', status: 500 }, { pathPrefix: '/contacts/contact-none', count: 10 });
    const later = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-none', source: 'poller' });
    h.ghl.server.clearFaults();
    expect(later.ok && later.value.bookingState).toBe('not_booked');
  });

  it('GHL answering 500 while Calendly answers none keeps a booked sentiment: unknown, no downgrade', async () => {
    await h.putLead(ws.id, 'lead-half', {
      email: 'half@example.com',
      ghlContactId: 'contact-half',
      sentiment: { label: 'Meeting Booked', classifiedAt: '2026-01-01T00:00:00Z' },
    });
    h.ghl.server.injectFault({ kind: 'status', status: 500 }, { pathPrefix: '/contacts/contact-half', count: 10 });
    const r = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-half', source: 'manual' });
    h.ghl.server.clearFaults();
    expect(r.ok && r.value.checks.map((c) => [c.provider, c.outcome.kind])).toEqual([
      ['ghl', 'failed'],
      ['calendly', 'none'],
    ]);
    expect(r.ok && r.value.bookingState).toBe('unknown');
    expect(r.ok && r.value.effective).toEqual({ booked: true, basis: 'sentiment', autoCorrected: false });
  });

  it('a failed check never turns a booked lead into not_booked', async () => {
    await h.putLead(ws.id, 'lead-keep', { ghlContactId: 'contact-keep' });
    h.ghl.addAppointment({ locationId: ws.locationId, contactId: 'contact-keep', startTime: soon() });
    expect((await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-keep', source: 'poller' })).ok).toBe(true);
    h.ghl.server.injectFault({ kind: 'status', status: 503 }, { pathPrefix: '/contacts/contact-keep', count: 10 });
    const r = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-keep', source: 'poller' });
    h.ghl.server.clearFaults();
    expect(r.ok && r.value.checks[0]?.outcome).toEqual({ kind: 'failed', code: 'PROVIDER_UNAVAILABLE' });
    expect(r.ok && r.value.bookingState).toBe('booked');
  });

  it('a cancellation seen only by polling cancels the appointment and opens a red review task', async () => {
    await h.putLead(ws.id, 'lead-cancel', {
      ghlContactId: 'contact-cancel',
      sentiment: { label: 'Meeting Booked', classifiedAt: '2026-01-01T00:00:00Z' },
    });
    const appt = h.ghl.addAppointment({ locationId: ws.locationId, contactId: 'contact-cancel', startTime: soon() });
    await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-cancel', source: 'poller' });
    h.ghl.updateAppointment(appt.id, { appointmentStatus: 'cancelled' });
    const r = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-cancel', source: 'poller' });
    expect(r.ok && r.value.bookingState).toBe('canceled');
    const canceled = await h.events(
      (e) => e.type === 'AppointmentCanceled' && (e.data as { leadId?: unknown }).leadId === 'lead-cancel',
    );
    expect(canceled).toHaveLength(1);
    const event = AppointmentEvent.parse({ type: canceled[0]?.type, data: canceled[0]?.data });
    expect(tasksForEvent(event).map((t) => [t.kind, t.severity])).toEqual([['meeting-canceled', 'red']]);
  });

  it('a GHL appointment gone from the listing and 404 by id is deleted only when a second check some time later still misses it', async () => {
    await h.putLead(ws.id, 'lead-del', { ghlContactId: 'contact-del' });
    const appt = h.ghl.addAppointment({ locationId: ws.locationId, contactId: 'contact-del', startTime: soon() });
    await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-del', source: 'poller' });
    h.ghl.deleteAppointment(appt.id);
    // one 404 is no hard delete (a wrong location or token would cancel everything)
    const first = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-del', source: 'poller' });
    expect(first.ok && first.value.bookingState).toBe('booked');
    const soonAfter = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-del', source: 'poller' });
    expect(soonAfter.ok && soonAfter.value.bookingState).toBe('booked');
    const stream = () => h.store.readStream(appointmentStreamName(ws.id, 'ghl', appt.id));
    expect((await stream()).map((e) => e.type)).not.toContain('AppointmentCanceled');
    // still missing 20 minutes later, while the contact's list is read: deleted
    const later = { ...h.deps, clock: () => new Date(Date.now() + 20 * 60_000) };
    const r = await reconcileLead(later, { workspaceId: ws.id, leadId: 'lead-del', source: 'poller' });
    expect(r.ok && r.value.bookingState).toBe('canceled');
    const canceled = (await stream()).filter((e) => e.type === 'AppointmentCanceled');
    expect(
      canceled.map((e) => [(e.data as { deleted: boolean }).deleted, (e.data as { leadId: string }).leadId]),
    ).toEqual([[true, 'lead-del']]);
  });

  it('a Calendly reschedule seen only by polling keeps the chain and never shows canceled', async () => {
    await h.putLead(ws.id, 'lead-move', { email: 'mover@example.com' });
    const first = h.calendly.addBooking({
      organizationUri: ws.organizationUri,
      email: 'mover@example.com',
      startTime: soon(),
    });
    await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-move', source: 'poller' });
    const second = h.calendly.rescheduleInvitee(first.inviteeUri, new Date(soon().getTime() + 2 * 86_400_000));
    const r = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-move', source: 'poller' });
    expect(r.ok && r.value.bookingState).toBe('booked');
    const types = await typesOf('lead-move');
    expect(types).not.toContain('AppointmentCanceled');
    const moved = await h.events(
      (e) => e.type === 'AppointmentRescheduled' && (e.data as { leadId?: unknown }).leadId === 'lead-move',
    );
    expect(moved.map((e) => (e.data as { rescheduledTo: string }).rescheduledTo)).toEqual([second.inviteeUri]);
    const rebooked = await h.events(
      (e) =>
        e.type === 'AppointmentBooked' &&
        (e.data as { providerAppointmentId?: unknown }).providerAppointmentId === second.inviteeUri,
    );
    expect((rebooked[0]?.data as { rescheduledFrom: string }).rescheduledFrom).toBe(first.inviteeUri);
  });

  it("a reschedule then a cancel, after the CRM changed the lead's email, is followed from the known invitee: canceled", async () => {
    await h.putLead(ws.id, 'lead-drift', { email: 'drift.a@example.com' });
    const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    const first = h.calendly.addBooking({
      organizationUri: ws.organizationUri,
      email: 'drift.a@example.com',
      startTime: soon(),
      at: ago(4),
    });
    const booked = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-drift', source: 'poller' });
    expect(booked.ok && booked.value.bookingState).toBe('booked');
    await h.putLead(ws.id, 'lead-drift', { email: 'drift.b@example.com' });
    const second = h.calendly.rescheduleInvitee(first.inviteeUri, new Date(soon().getTime() + 86_400_000), {
      at: ago(3),
    });
    const third = h.calendly.rescheduleInvitee(second.inviteeUri, new Date(soon().getTime() + 2 * 86_400_000), {
      at: ago(2),
    });
    h.calendly.cancelInvitee(third.inviteeUri, { by: 'invitee', at: ago(1) });
    const r = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-drift', source: 'poller' });
    expect(r.ok && r.value.bookingState).toBe('canceled');
    const canceled = (await h.store.readStream(appointmentStreamName(ws.id, 'calendly', third.inviteeUri))).filter(
      (e) => e.type === 'AppointmentCanceled',
    );
    expect(canceled.map((e) => (e.data as { leadId: string }).leadId)).toEqual(['lead-drift']);
  });

  it('a Calendly booking under an email two leads share is given to neither: unmatched, and the check proves nothing', async () => {
    await h.putLead(ws.id, 'lead-twin-1', { email: 'twin@example.com' });
    await h.putLead(ws.id, 'lead-twin-2', { email: 'twin@example.com' });
    const booking = h.calendly.addBooking({
      organizationUri: ws.organizationUri,
      email: 'twin@example.com',
      startTime: soon(),
    });
    // the test lookup reads the store's visible log: wait until it sees both leads
    await waitFor(
      async () => {
        const m = await h.deps.leadLookup.findByEmailHash?.(ws.id, h.deps.hashEmail(ws.id, 'twin@example.com'));
        return m !== null && m !== undefined && 'ambiguous' in m ? m : null;
      },
      { timeoutMs: 10_000 },
    );
    const r = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-twin-1', source: 'poller' });
    expect(r.ok && r.value.checks.find((c) => c.provider === 'calendly')?.outcome).toEqual({
      kind: 'failed',
      code: 'EMAIL_ON_SEVERAL_LEADS',
    });
    expect(r.ok && r.value.bookingState).toBe('unknown');
    const events = await h.store.readStream(appointmentStreamName(ws.id, 'calendly', booking.inviteeUri));
    expect(events.map((e) => [e.type, (e.data as { leadId: string | null }).leadId])).toEqual([
      ['AppointmentBooked', null],
    ]);
  });

  it('an unknown lead is a coded failure', async () => {
    expect(await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'nope', source: 'manual' })).toEqual({
      ok: false,
      code: 'LEAD_NOT_FOUND',
    });
  });

  it('the simulators saw GETs only', () => {
    expect(h.ghl.server.methodsSeen()).toEqual(['GET']);
    expect(h.calendly.server.methodsSeen()).toEqual(['GET']);
  });
});
