import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calcomDomainProvider } from './calcom-provider';
import { mapCalcomApiBooking, mapCalcomAttendance, mapCalcomBookingDelivery } from './map-calcom';
import { parseCalcomBookingList, parseCalcomWebhook } from './parse-calcom';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const ctx = { workspaceId: 'ws_1', source: 'webhook' as const, observedAt: '2026-03-20T12:00:00.000Z' };
const PII = /riley|avery|sam\.colleague|example\.(com|net)/i;

function bookingOf(name: string) {
  const parsed = parseCalcomWebhook(fixture(name));
  if (!parsed.ok || parsed.value.kind !== 'booking') throw new Error(`${name}: not a booking delivery`);
  const mapped = mapCalcomBookingDelivery(parsed.value.delivery, ctx);
  if (!mapped.ok || mapped.value.kind !== 'observed') throw new Error(`${name}: not observed`);
  return mapped.value.value;
}

describe('Cal.com webhooks → observations', () => {
  it('BOOKING_CREATED (accepted) → scheduled at the booking times, versioned by the delivery time; hints carry the booker', () => {
    const { current, replaced, hints } = bookingOf('webhook-booking-created.json');
    expect(current).toMatchObject({
      type: 'ObserveProviderAppointment',
      provider: 'calcom',
      providerAppointmentId: 'fakeBkgUid000000000001',
      status: 'scheduled',
      startAt: '2026-03-10T15:00:00.000Z',
      endAt: '2026-03-10T15:30:00.000Z',
      providerUpdatedAt: '2026-03-02T14:05:12.204Z',
      rescheduledFrom: null,
      rescheduledTo: null,
      leadId: null,
      source: 'webhook',
      calendlyEventUri: null,
    });
    expect(replaced).toBeNull();
    expect(hints).toEqual({
      provider: 'calcom',
      attendeeEmail: 'riley.lead@example.com',
      guestEmails: [],
      utmTokens: [],
    });
    expect(JSON.stringify(current)).not.toMatch(PII);
  });

  it('the compact wire bytes and the pretty file are the same delivery', () => {
    const compact = JSON.parse(
      readFileSync(new URL('./fixtures/webhook-booking-created.compact.json', import.meta.url), 'utf8'),
    );
    expect(parseCalcomWebhook(compact)).toEqual(parseCalcomWebhook(fixture('webhook-booking-created.json')));
  });

  it('BOOKING_RESCHEDULED → the new booking (rescheduledFrom) and the old one canceled as rescheduled (rescheduledTo), at its old times', () => {
    const { current, replaced, hints } = bookingOf('webhook-booking-rescheduled.json');
    expect(current).toMatchObject({
      providerAppointmentId: 'fakeBkgUid000000000003',
      status: 'scheduled',
      rescheduledFrom: 'fakeBkgUid000000000002',
      startAt: '2026-03-13T17:00:00.000Z',
    });
    expect(replaced).toMatchObject({
      providerAppointmentId: 'fakeBkgUid000000000002',
      status: 'canceled',
      rescheduledTo: 'fakeBkgUid000000000003',
      canceledBy: null,
      startAt: '2026-03-12T16:00:00.000Z',
      endAt: '2026-03-12T16:30:00.000Z',
      providerUpdatedAt: null,
    });
    expect(hints.guestEmails).toEqual(['sam.colleague@example.net']);
  });

  it('BOOKING_CANCELLED → canceled by the invitee (cancelledBy is an attendee); `+00:00` times read as UTC; a cancellation is final, unversioned', () => {
    const { current } = bookingOf('webhook-booking-cancelled.json');
    expect(current).toMatchObject({
      providerAppointmentId: 'fakeBkgUid000000000001',
      status: 'canceled',
      canceledBy: 'invitee',
      startAt: '2026-03-10T15:00:00.000Z',
      providerUpdatedAt: null,
      rescheduledTo: null,
    });
    const byHost = fixture('webhook-booking-cancelled.json') as { payload: Record<string, unknown> };
    byHost.payload['cancelledBy'] = 'AVERY.host@example.com';
    const parsed = parseCalcomWebhook(byHost);
    if (!parsed.ok || parsed.value.kind !== 'booking') throw new Error('parse');
    const mapped = mapCalcomBookingDelivery(parsed.value.delivery, ctx);
    expect(mapped.ok && mapped.value.kind === 'observed' && mapped.value.value.current.canceledBy).toBe('host');
  });

  it('BOOKING_NO_SHOW_UPDATED parses to attendee marks; with the stored times it maps to no_show, an unmark to scheduled', () => {
    const parsed = parseCalcomWebhook(fixture('webhook-booking-no-show-updated.json'));
    expect(parsed.ok && parsed.value.kind).toBe('no_show');
    if (!parsed.ok || parsed.value.kind !== 'no_show') return;
    expect(parsed.value.delivery.payload).toEqual({
      bookingUid: 'fakeBkgUid000000000003',
      bookingId: 990003,
      attendees: [{ email: 'riley.lead@example.com', noShow: true }],
    });
    const times = { startAt: '2026-03-13T17:00:00.000Z', endAt: '2026-03-13T17:30:00.000Z' };
    const marked = mapCalcomAttendance(
      { bookingUid: 'fakeBkgUid000000000003', noShow: true, at: parsed.value.delivery.createdAt, ...times },
      ctx,
    );
    expect(marked).toMatchObject({
      ok: true,
      value: { status: 'no_show', providerUpdatedAt: '2026-03-13T17:41:09.512Z', ...times },
    });
    expect(
      mapCalcomAttendance({ bookingUid: 'x', noShow: false, at: '2026-03-13T18:00:00Z', ...times }, ctx),
    ).toMatchObject({ ok: true, value: { status: 'scheduled' } });
  });

  it('MEETING_ENDED (flat row) parses as a meeting and is no evidence: the registry entry ignores it, as PING and BOOKING_REQUESTED', () => {
    const parsed = parseCalcomWebhook(fixture('webhook-meeting-ended.json'));
    expect(parsed.ok && parsed.value.kind).toBe('meeting');
    expect(calcomDomainProvider.observeWebhook(fixture('webhook-meeting-ended.json'), ctx)).toEqual({
      ok: true,
      value: { kind: 'ignored', type: 'MEETING_ENDED' },
    });
    const ping = { triggerEvent: 'PING', createdAt: '2026-03-01T00:00:00.000Z', payload: { title: 'x' } };
    expect(calcomDomainProvider.observeWebhook(ping, ctx)).toEqual({
      ok: true,
      value: { kind: 'ignored', type: 'PING' },
    });
    const requested = fixture('webhook-booking-created.json') as {
      triggerEvent: string;
      payload: Record<string, unknown>;
    };
    requested.triggerEvent = 'BOOKING_REQUESTED';
    requested.payload['status'] = 'PENDING';
    expect(calcomDomainProvider.observeWebhook(requested, ctx)).toMatchObject({ ok: true, value: { kind: 'ignored' } });
  });

  it('a BOOKING_CREATED still pending is not a meeting: ignored', () => {
    const pending = fixture('webhook-booking-created.json') as { payload: Record<string, unknown> };
    pending.payload['status'] = 'PENDING';
    expect(calcomDomainProvider.observeWebhook(pending, ctx)).toEqual({
      ok: true,
      value: { kind: 'ignored', type: 'BOOKING_CREATED:PENDING' },
    });
  });

  it('the registry entry observes the booking a delivery describes (creates only for BOOKING_CREATED)', () => {
    const created = calcomDomainProvider.observeWebhook(fixture('webhook-booking-created.json'), ctx);
    expect(created).toMatchObject({
      ok: true,
      value: { kind: 'observed', creates: true, observation: { providerAppointmentId: 'fakeBkgUid000000000001' } },
    });
    const moved = calcomDomainProvider.observeWebhook(fixture('webhook-booking-rescheduled.json'), ctx);
    expect(moved).toMatchObject({
      ok: true,
      value: { kind: 'observed', creates: false, observation: { providerAppointmentId: 'fakeBkgUid000000000003' } },
    });
    expect(calcomDomainProvider.cancellationIsFinal).toBe(true);
  });

  it('a recon: booking token in tracking.utm_content / utm_term becomes a (raw, unverified) UTM hint', () => {
    const body = fixture('webhook-booking-created.json') as { payload: Record<string, unknown> };
    body.payload['tracking'] = { utm_content: 'recon:lead-7.x', utm_term: ' recon:lead-7.x ' };
    const parsed = parseCalcomWebhook(body);
    if (!parsed.ok || parsed.value.kind !== 'booking') throw new Error('parse');
    const mapped = mapCalcomBookingDelivery(parsed.value.delivery, ctx);
    expect(mapped.ok && mapped.value.kind === 'observed' && mapped.value.value.hints.utmTokens).toEqual([
      'recon:lead-7.x',
    ]);
  });

  it('an unreadable booking delivery → PROVIDER_PAYLOAD_INVALID with paths and codes only, never values', () => {
    const bad = {
      triggerEvent: 'BOOKING_CREATED',
      createdAt: '2026-03-02T14:05:12.204Z',
      payload: { uid: 'u', startTime: 'riley.lead@example.com', endTime: 5 },
    };
    const parsed = parseCalcomWebhook(bad);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.code).toBe('PROVIDER_PAYLOAD_INVALID');
    expect(parsed.issues).toEqual(expect.arrayContaining(['payload.startTime: invalid_format']));
    expect(JSON.stringify(parsed.issues)).not.toMatch(PII);
    expect(parseCalcomWebhook('nope')).toMatchObject({ ok: false, code: 'PROVIDER_PAYLOAD_INVALID' });
  });
});

describe('Cal.com API v2 bookings → observations', () => {
  const list = parseCalcomBookingList(fixture('bookings-list.json'));
  const isLead = (email: string) => email.trim().toLowerCase() === 'riley.lead@example.com';
  const api = { ...ctx, source: 'poller' as const, leadId: 'lead-riley' };

  it('parses the documented page (pagination included)', () => {
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    expect(list.value.data).toHaveLength(4);
    expect(list.value.pagination.hasNextPage).toBe(false);
  });

  it('maps cancelled, cancelled-by-reschedule, accepted with the lead absent, and upcoming', () => {
    if (!list.ok) throw new Error('parse');
    const [one, two, three, four] = list.value.data.map((b) => {
      const r = mapCalcomApiBooking(b, isLead, api);
      if (!r.ok || r.value === null) throw new Error('map');
      return r.value.observation;
    });
    expect(one).toMatchObject({
      status: 'canceled',
      canceledBy: 'invitee',
      rescheduledTo: null,
      providerUpdatedAt: null,
      leadId: 'lead-riley',
    });
    expect(two).toMatchObject({ status: 'canceled', rescheduledTo: 'fakeBkgUid000000000003', canceledBy: null });
    expect(three).toMatchObject({
      status: 'no_show',
      rescheduledFrom: 'fakeBkgUid000000000002',
      providerUpdatedAt: null,
      startAt: '2026-03-13T17:00:00.000Z',
    });
    expect(four).toMatchObject({
      status: 'scheduled',
      providerUpdatedAt: '2026-03-20T11:00:04.902Z',
      startAt: '2030-06-11T15:00:00.000Z',
    });
  });

  it('a guest marked absent is not the lead: the booking stays scheduled; pending and rejected bookings are no meetings', () => {
    if (!list.ok) throw new Error('parse');
    const three = list.value.data[2]!;
    const guestAbsent = { ...three, attendees: three.attendees!.map((a) => ({ ...a, absent: !isLead(a.email) })) };
    expect(mapCalcomApiBooking(guestAbsent, isLead, api)).toMatchObject({
      ok: true,
      value: { observation: { status: 'scheduled' } },
    });
    expect(mapCalcomApiBooking({ ...three, status: 'pending' }, isLead, api)).toEqual({ ok: true, value: null });
    expect(mapCalcomApiBooking({ ...three, status: 'rejected' }, isLead, api)).toEqual({ ok: true, value: null });
  });
});
