import { describe, expect, it } from 'vitest';
import { LEAD, WS, checked, observation, observeAcrossStreams, registered, sentiment } from '../testing/builders';
import { bookingStateAt } from './booking-state';
import { evolveLeadLifecycle, leadLifecycleFromEvents } from './evolve-lead-lifecycle';
import { currentAppointment, initialLeadLifecycle } from './lead-lifecycle-state';

const OLD = 'https://api.calendly.com/scheduled_events/e508f4b2/invitees/d4b75211';
const NEW = 'https://api.calendly.com/scheduled_events/6f9d3ee4/invitees/f655d9f4';
const NOW_BEFORE = '2030-06-10T00:00:00.000Z';
const NOW_AFTER = '2030-07-01T00:00:00.000Z';

describe('lead lifecycle', () => {
  it('given only a registration, then the lead is unknown (unverified)', () => {
    const s = leadLifecycleFromEvents([registered()]);
    expect(s.bookingState).toBe('unknown');
    expect(s.leadId).toBe(LEAD);
  });

  it('given a failed provider check, then the lead stays unknown; not_booked only once every checked provider answered none', () => {
    const failed = leadLifecycleFromEvents([registered(), checked('ghl', { kind: 'failed', code: 'GHL_TIMEOUT' })]);
    expect(failed.bookingState).toBe('unknown');
    const half = evolveLeadLifecycle(failed, checked('calendly', { kind: 'none' }, '2030-05-04T00:00:00.000Z'));
    expect(half.bookingState).toBe('unknown');
    const none = evolveLeadLifecycle(half, checked('ghl', { kind: 'none' }, '2030-05-05T00:00:00.000Z'));
    expect(none.bookingState).toBe('not_booked');
    expect(none.bookingStateSince).toBe('2030-05-05T00:00:00.000Z');
    const later = evolveLeadLifecycle(
      none,
      checked('ghl', { kind: 'failed', code: 'GHL_TIMEOUT' }, '2030-05-06T00:00:00.000Z'),
    );
    expect(later.bookingState).toBe('not_booked');
  });

  it('given only sentiment "Meeting Booked", then the lead is never booked (sentiment is not evidence)', () => {
    expect(leadLifecycleFromEvents([registered(), sentiment('Meeting Booked')]).bookingState).toBe('unknown');
  });

  it('given a booking, when a later check fails or finds none, then the lead stays booked', () => {
    const booked = leadLifecycleFromEvents([registered(), ...observeAcrossStreams([observation()])]);
    expect(booked.bookingState).toBe('booked');
    const afterFail = evolveLeadLifecycle(
      booked,
      checked('ghl', { kind: 'failed', code: 'GHL_HTTP_500' }, '2030-06-02T00:00:00.000Z'),
    );
    expect(afterFail.bookingState).toBe('booked');
    const afterNone = evolveLeadLifecycle(afterFail, checked('calendly', { kind: 'none' }, '2030-06-02T00:00:00.000Z'));
    expect(afterNone.bookingState).toBe('booked');
  });

  it('given a booking, when it is canceled and the lead rebooks, then canceled, then booked again with counts', () => {
    const canceled = leadLifecycleFromEvents([
      registered(),
      ...observeAcrossStreams([
        observation(),
        observation({ status: 'canceled', providerUpdatedAt: '2030-06-02T00:00:00.000Z' }),
      ]),
    ]);
    expect(canceled.bookingState).toBe('canceled');
    const rebook = observeAcrossStreams([
      observation({
        providerAppointmentId: 'appt-2',
        startAt: '2030-06-25T10:00:00.000Z',
        endAt: '2030-06-25T10:30:00.000Z',
      }),
    ]);
    const rebooked = rebook.reduce(evolveLeadLifecycle, canceled);
    expect(rebooked).toMatchObject({
      bookingState: 'booked',
      currentAppointmentId: 'appt-2',
      counts: { bookings: 2, cancellations: 1 },
    });
  });

  it('given a verified booking, when its end has passed, then completed with assumed; attended is completed without assumed', () => {
    const s = leadLifecycleFromEvents([registered(), ...observeAcrossStreams([observation()])]);
    expect(bookingStateAt(s, NOW_BEFORE)).toEqual({ bookingState: 'booked', assumed: false });
    expect(bookingStateAt(s, NOW_AFTER)).toEqual({ bookingState: 'completed', assumed: true });
    const attended = leadLifecycleFromEvents([
      registered(),
      ...observeAcrossStreams([
        observation(),
        observation({ status: 'showed', providerUpdatedAt: '2030-06-19T00:00:00.000Z' }),
      ]),
    ]);
    expect(bookingStateAt(attended, NOW_AFTER)).toEqual({ bookingState: 'completed', assumed: false });
  });

  it('given a no-show, then no_show; when retracted, then booked again', () => {
    const marked = observation({ status: 'no_show', providerUpdatedAt: '2030-06-19T00:00:00.000Z' });
    const retracted = observation({ providerUpdatedAt: '2030-06-20T00:00:00.000Z' });
    const s1 = leadLifecycleFromEvents([registered(), ...observeAcrossStreams([observation(), marked])]);
    expect(s1.bookingState).toBe('no_show');
    expect(s1.counts.noShows).toBe(1);
    const s2 = leadLifecycleFromEvents([registered(), ...observeAcrossStreams([observation(), marked, retracted])]);
    expect(s2.bookingState).toBe('booked');
    expect(s2.counts.noShows).toBe(0);
  });

  describe('Calendly reschedule pair', () => {
    const cal = { provider: 'calendly' as const };
    const oldBooked = observation({ ...cal, providerAppointmentId: OLD });
    const oldCanceledRescheduled = observation({
      ...cal,
      providerAppointmentId: OLD,
      status: 'canceled',
      rescheduledTo: NEW,
      canceledBy: 'invitee',
      providerUpdatedAt: '2030-06-02T00:00:00.000Z',
    });
    const newBooked = observation({
      ...cal,
      providerAppointmentId: NEW,
      rescheduledFrom: OLD,
      startAt: '2030-06-20T09:00:00.000Z',
      endAt: '2030-06-20T09:30:00.000Z',
      providerUpdatedAt: '2030-06-02T00:00:00.000Z',
    });

    it.each([
      ['cancel first', [oldBooked, oldCanceledRescheduled, newBooked]],
      ['create first', [oldBooked, newBooked, oldCanceledRescheduled]],
      ['only the two deliveries, cancel first', [oldCanceledRescheduled, newBooked]],
      ['only the two deliveries, create first', [newBooked, oldCanceledRescheduled]],
    ])(
      'given %s, then the lead never passes through canceled and ends booked on the new invitee',
      (_name, observations) => {
        let s = leadLifecycleFromEvents([registered()]);
        for (const e of observeAcrossStreams(observations)) {
          s = evolveLeadLifecycle(s, e);
          expect(s.bookingState).not.toBe('canceled');
        }
        expect(s.bookingState).toBe('booked');
        expect(currentAppointment(s)?.providerAppointmentId).toBe(NEW);
        expect(s.counts).toMatchObject({ reschedules: 1, cancellations: 0 });
      },
    );
  });

  it('given an unmatched booking that was canceled, when it is linked later, then the lead learns it is canceled', () => {
    const unmatched = observeAcrossStreams([
      observation({ leadId: null }),
      observation({ leadId: null, status: 'canceled', providerUpdatedAt: '2030-06-02T00:00:00.000Z' }),
    ]);
    const link = observeAcrossStreams([
      observation({ leadId: null }),
      observation({ leadId: null, status: 'canceled', providerUpdatedAt: '2030-06-02T00:00:00.000Z' }),
      observation({
        leadId: LEAD,
        status: 'canceled',
        providerUpdatedAt: '2030-06-02T00:00:00.000Z',
        matchedBy: 'email',
      }),
    ]).slice(unmatched.length);
    expect(link.map((e) => e.type)).toEqual(['AppointmentLinkedToLead']);
    const s = leadLifecycleFromEvents([registered(), ...link]);
    expect(s).toMatchObject({ bookingState: 'canceled', counts: { bookings: 1, cancellations: 1 } });
  });

  it('given events for another lead, then they are ignored', () => {
    const other = observeAcrossStreams([observation({ leadId: 'someone-else' })]);
    expect(leadLifecycleFromEvents([registered(), ...other]).bookingState).toBe('unknown');
  });

  it('given a late, older sentiment, then the newer classification is kept', () => {
    const s = leadLifecycleFromEvents([
      sentiment('Interested', '2030-05-05T00:00:00.000Z'),
      sentiment('Meeting Booked', '2030-05-01T00:00:00.000Z'),
    ]);
    expect(s.sentiment).toEqual({ label: 'Interested', classifiedAt: '2030-05-05T00:00:00.000Z' });
  });

  it('the state is plain JSON and survives a round trip (the projection keeps it in a row)', () => {
    const s = leadLifecycleFromEvents([
      registered(),
      sentiment('Meeting Booked'),
      checked('ghl', { kind: 'found', count: 1 }),
      ...observeAcrossStreams([observation()]),
    ]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(initialLeadLifecycle()).toEqual(JSON.parse(JSON.stringify(initialLeadLifecycle())));
    expect(s.workspaceId).toBe(WS);
  });
});
