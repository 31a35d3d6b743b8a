import { describe, expect, it } from 'vitest';
import { AppointmentEvent } from '../events/appointment-events';
import { observation, observeAll } from '../testing/builders';
import { appointmentStateFromEvents, initialAppointmentState, isBooked, isTerminal } from './appointment-state';
import { decideAppointment } from './decide-appointment';
import { decideLinkAppointment } from './link-appointment';

const types = (events: readonly { type: string }[]) => events.map((e) => e.type);
const OLD = 'https://api.calendly.com/scheduled_events/e508f4b2/invitees/d4b75211';
const NEW = 'https://api.calendly.com/scheduled_events/6f9d3ee4/invitees/f655d9f4';

describe('decideAppointment', () => {
  it('given no stream, when a scheduled appointment is observed, then it is booked', () => {
    const events = decideAppointment(observation(), initialAppointmentState());
    expect(types(events)).toEqual(['AppointmentBooked']);
    // every decided event is a valid stored event (schema contract)
    for (const e of events) expect(AppointmentEvent.safeParse(e).success).toBe(true);
    expect(isBooked(appointmentStateFromEvents(events))).toBe(true);
  });

  it('given a booked appointment, when the same observation arrives again, then nothing is decided', () => {
    const { state } = observeAll([observation()]);
    expect(decideAppointment(observation({ observedAt: '2030-06-02T00:00:00.000Z', source: 'poller' }), state)).toEqual(
      [],
    );
  });

  it('given a newer version, when an older observation arrives late, then it is recorded once as history and changes nothing current', () => {
    const first = observation({ status: 'canceled', providerUpdatedAt: '2030-06-05T00:00:00.000Z' });
    const { state } = observeAll([first]);
    const late = observation({
      providerUpdatedAt: '2030-06-01T00:00:00.000Z',
      startAt: '2030-06-17T15:00:00.000Z',
      endAt: '2030-06-17T15:30:00.000Z',
    });
    const events = decideAppointment(late, state);
    expect(events).toMatchObject([
      {
        type: 'AppointmentVersionObserved',
        data: {
          historical: true,
          observedStatus: 'scheduled',
          observedStartAt: '2030-06-17T15:00:00.000Z',
          startAt: state.status === 'absent' ? '' : state.startAt,
        },
      },
    ]);
    const after = observeAll([first, late]).state;
    expect(after).toMatchObject({
      status: 'canceled',
      startAt: '2030-06-18T15:00:00.000Z',
      providerUpdatedAt: '2030-06-05T00:00:00.000Z',
    });
    expect(decideAppointment(late, after)).toEqual([]);
    expect(
      decideAppointment(observation({ status: 'canceled', providerUpdatedAt: '2030-06-05T00:00:00.000Z' }), after),
    ).toEqual([]);
  });

  it('given A → B → A with versions delivered A, A′, B, then B is history: the stream stays at A (the known limit is closed)', () => {
    const a1 = observation({ providerUpdatedAt: '2030-06-01T00:00:00.000Z' });
    const b = observation({ status: 'canceled', providerUpdatedAt: '2030-06-02T00:00:00.000Z' });
    const a3 = observation({ providerUpdatedAt: '2030-06-03T00:00:00.000Z' });
    const { events, state } = observeAll([a1, a3, b]);
    expect(types(events)).toEqual(['AppointmentBooked', 'AppointmentVersionObserved', 'AppointmentVersionObserved']);
    expect(events.map((e) => (e.type === 'AppointmentVersionObserved' ? e.data.historical : null))).toEqual([
      null,
      false,
      true,
    ]);
    expect(state).toMatchObject({ status: 'scheduled', providerUpdatedAt: '2030-06-03T00:00:00.000Z' });
    expect(observeAll([a1, b, a3]).state).toMatchObject({
      status: 'scheduled',
      providerUpdatedAt: '2030-06-03T00:00:00.000Z',
    });
  });

  it('given a canceled Calendly invitee, then no later observation or no-show mark opens it again, and its cancellation applies whatever version it carries', () => {
    const cal = {
      provider: 'calendly' as const,
      providerAppointmentId: 'https://api.calendly.com/scheduled_events/e1/invitees/i1',
    };
    const canceled = observation({ ...cal, status: 'canceled', providerUpdatedAt: '2030-06-02T00:00:00.000Z' });
    const booked = observation({ ...cal, providerUpdatedAt: '2030-06-01T00:00:00.000Z' });
    for (const later of [
      observation({ ...cal, providerUpdatedAt: '2030-06-09T00:00:00.000Z' }),
      observation({ ...cal, status: 'no_show', providerUpdatedAt: '2030-06-09T00:00:00.000Z' }),
    ]) {
      expect(observeAll([booked, canceled, later]).state).toMatchObject({ status: 'canceled' });
    }
    expect(
      observeAll([observation({ ...cal, providerUpdatedAt: '2030-06-05T00:00:00.000Z' }), canceled]).state,
    ).toMatchObject({ status: 'canceled' });
  });

  it('given neither side has a version, when the fact differs, then it applies; when the same, nothing', () => {
    const { state } = observeAll([observation({ providerUpdatedAt: null })]);
    expect(decideAppointment(observation({ providerUpdatedAt: null }), state)).toEqual([]);
    expect(types(decideAppointment(observation({ providerUpdatedAt: null, status: 'showed' }), state))).toEqual([
      'AppointmentAttended',
    ]);
  });

  it('given a GHL appointment, when the same id moves to a new start, then it is rescheduled with the previous times', () => {
    const { state } = observeAll([observation()]);
    const events = decideAppointment(
      observation({
        startAt: '2030-06-19T15:00:00.000Z',
        endAt: '2030-06-19T15:30:00.000Z',
        providerUpdatedAt: '2030-06-02T00:00:00.000Z',
      }),
      state,
    );
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e?.type).toBe('AppointmentRescheduled');
    if (e?.type !== 'AppointmentRescheduled') return;
    expect(e.data.previousStartAt).toBe('2030-06-18T15:00:00.000Z');
    expect(e.data.startAt).toBe('2030-06-19T15:00:00.000Z');
    expect(e.data.rescheduledTo).toBeNull();
  });

  it.each([
    ['canceled', 'AppointmentCanceled'],
    ['showed', 'AppointmentAttended'],
    ['no_show', 'AppointmentNoShowMarked'],
  ] as const)('given a booked appointment, when the provider says %s, then %s', (status, type) => {
    const { state } = observeAll([observation()]);
    expect(
      types(decideAppointment(observation({ status, providerUpdatedAt: '2030-06-02T00:00:00.000Z' }), state)),
    ).toEqual([type]);
  });

  it('given a no-show, when the provider says scheduled again, then the no-show is retracted; when showed, retracted and attended', () => {
    const { state } = observeAll([
      observation(),
      observation({ status: 'no_show', providerUpdatedAt: '2030-06-02T00:00:00.000Z' }),
    ]);
    expect(types(decideAppointment(observation({ providerUpdatedAt: '2030-06-03T00:00:00.000Z' }), state))).toEqual([
      'AppointmentNoShowRetracted',
    ]);
    expect(
      types(decideAppointment(observation({ status: 'showed', providerUpdatedAt: '2030-06-03T00:00:00.000Z' }), state)),
    ).toEqual(['AppointmentNoShowRetracted', 'AppointmentAttended']);
  });

  it('given no stream, when the first observation is already canceled, then it is booked and canceled (the booking existed)', () => {
    const { events, state } = observeAll([observation({ status: 'canceled', canceledBy: 'invitee' })]);
    expect(types(events)).toEqual(['AppointmentBooked', 'AppointmentCanceled']);
    expect(state.status).toBe('canceled');
    expect(isTerminal(state)).toBe(true);
  });

  it('given a GHL delete, then the appointment is canceled with deleted=true, whatever version it carries', () => {
    const { state } = observeAll([observation({ providerUpdatedAt: '2030-06-05T00:00:00.000Z' })]);
    const events = decideAppointment(
      observation({ deleted: true, providerUpdatedAt: '2030-06-05T00:00:00.000Z' }),
      state,
    );
    expect(types(events)).toEqual(['AppointmentCanceled']);
    expect(events[0]?.type === 'AppointmentCanceled' && events[0].data.deleted).toBe(true);
  });

  it('given a Calendly invitee, when it is canceled with rescheduledTo, then it is rescheduled to the new invitee, never canceled', () => {
    const base = { provider: 'calendly' as const, providerAppointmentId: OLD };
    const { state } = observeAll([observation(base)]);
    const events = decideAppointment(
      observation({ ...base, status: 'canceled', rescheduledTo: NEW, providerUpdatedAt: '2030-06-02T00:00:00.000Z' }),
      state,
    );
    expect(types(events)).toEqual(['AppointmentRescheduled']);
    expect(events[0]?.type === 'AppointmentRescheduled' && events[0].data.rescheduledTo).toBe(NEW);
    expect(appointmentStateFromEvents([...observeAll([observation(base)]).events, ...events]).status).toBe('replaced');
  });

  it('given no stream, when the first sight of an old invitee is its reschedule-cancel, then booked + rescheduled (no cancel)', () => {
    const { events } = observeAll([
      observation({ provider: 'calendly', providerAppointmentId: OLD, status: 'canceled', rescheduledTo: NEW }),
    ]);
    expect(types(events)).toEqual(['AppointmentBooked', 'AppointmentRescheduled']);
  });

  it('given a new Calendly invitee with rescheduledFrom, then it is booked carrying rescheduledFrom', () => {
    const events = decideAppointment(
      observation({ provider: 'calendly', providerAppointmentId: NEW, rescheduledFrom: OLD }),
      initialAppointmentState(),
    );
    expect(events[0]?.type === 'AppointmentBooked' && events[0].data.rescheduledFrom).toBe(OLD);
  });

  it('given a canceled appointment, when the provider shows it active again, then it is booked again', () => {
    const { state } = observeAll([observation({ status: 'canceled' })]);
    expect(types(decideAppointment(observation({ providerUpdatedAt: '2030-06-09T00:00:00.000Z' }), state))).toEqual([
      'AppointmentBooked',
    ]);
  });

  it('given an unmatched appointment, when observed with a lead id (even stale), then it is linked first', () => {
    const { state } = observeAll([observation({ leadId: null })]);
    const events = decideAppointment(
      observation({
        leadId: 'lead-9',
        matchedBy: 'email',
        status: 'canceled',
        providerUpdatedAt: '2030-06-02T00:00:00.000Z',
      }),
      state,
    );
    expect(types(events)).toEqual(['AppointmentLinkedToLead', 'AppointmentCanceled']);
    expect(events.every((e) => e.data.leadId === 'lead-9')).toBe(true);
    const stale = decideAppointment(
      observation({ leadId: 'lead-9', providerUpdatedAt: '2030-05-01T00:00:00.000Z' }),
      state,
    );
    expect(types(stale)).toEqual(['AppointmentLinkedToLead', 'AppointmentVersionObserved']);
  });
});

describe('decideLinkAppointment', () => {
  const link = {
    type: 'LinkAppointmentToLead' as const,
    leadId: 'lead-2',
    matchedBy: 'alternate_email' as const,
    linkedAt: '2030-06-10T00:00:00.000Z',
  };

  it('given an unmatched appointment, when linked, then AppointmentLinkedToLead carries its current status', () => {
    const { state } = observeAll([observation({ leadId: null, status: 'canceled' })]);
    const result = decideLinkAppointment(link, state);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toHaveLength(1);
    expect(result.value[0]?.data.current?.status).toBe('canceled');
    expect(AppointmentEvent.safeParse(result.value[0]).success).toBe(true);
  });

  it('given an appointment already linked to that lead, then nothing; to another lead, then a coded refusal', () => {
    const { state } = observeAll([observation({ leadId: 'lead-2' })]);
    expect(decideLinkAppointment(link, state)).toEqual({ ok: true, value: [] });
    expect(decideLinkAppointment({ ...link, leadId: 'lead-3' }, state)).toEqual({
      ok: false,
      code: 'APPOINTMENT_LINKED_TO_OTHER_LEAD',
    });
  });

  it('given no appointment, then APPOINTMENT_NOT_FOUND', () => {
    expect(decideLinkAppointment(link, initialAppointmentState())).toEqual({
      ok: false,
      code: 'APPOINTMENT_NOT_FOUND',
    });
  });
});
