import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { initialAppointmentState } from './appointments/appointment-state';
import { decideAppointment } from './appointments/decide-appointment';
import { appointmentEventId, leadEventId, reconEventId } from './event-ids';
import { observation, registered, sentiment } from './testing/builders';

const idsOf = (o: Parameters<typeof decideAppointment>[0]) => decideAppointment(o, initialAppointmentState()).map(reconEventId);

describe('deterministic event ids', () => {
  it('given the same provider fact delivered twice (webhook retry, then the poller), then the same ids', () => {
    const webhook = idsOf(observation({ status: 'canceled' }));
    const poller = idsOf(observation({ status: 'canceled', source: 'poller', observedAt: '2030-06-03T00:00:00.000Z' }));
    expect(poller).toEqual(webhook);
    expect(webhook).toHaveLength(2);
    for (const id of webhook) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(5);
    }
  });

  it('given another version of the fact, another type, appointment or workspace, then different ids', () => {
    const [booked] = idsOf(observation());
    expect(idsOf(observation({ providerUpdatedAt: '2030-06-02T00:00:00.000Z' }))[0]).not.toBe(booked);
    expect(idsOf(observation({ providerAppointmentId: 'appt-2' }))[0]).not.toBe(booked);
    expect(idsOf(observation({ workspaceId: 'ws-other' }))[0]).not.toBe(booked);
    const [b, c] = idsOf(observation({ status: 'canceled' }));
    expect(b).not.toBe(c);
  });

  it('without providerUpdatedAt, the times identify the fact', () => {
    const a = idsOf(observation({ providerUpdatedAt: null }));
    expect(idsOf(observation({ providerUpdatedAt: null, observedAt: '2030-06-05T00:00:00.000Z' }))).toEqual(a);
    expect(idsOf(observation({ providerUpdatedAt: null, startAt: '2030-06-19T15:00:00.000Z' }))).not.toEqual(a);
  });

  it('without providerUpdatedAt, the stream revision tells a re-booking apart from the first booking', () => {
    const [first] = decideAppointment(observation({ providerUpdatedAt: null }), initialAppointmentState());
    if (!first) throw new Error('expected an event');
    expect(appointmentEventId(first, 0)).toBe(appointmentEventId(first, 0));
    expect(appointmentEventId(first, 2)).not.toBe(appointmentEventId(first, 0));
    const [withVersion] = decideAppointment(observation(), initialAppointmentState());
    if (!withVersion) throw new Error('expected an event');
    expect(appointmentEventId(withVersion, 2)).toBe(appointmentEventId(withVersion, 0));
  });

  it('given a re-sent lead feed, then the lead events get the same ids; a new classification gets a new one', () => {
    expect(leadEventId(registered('2030-05-01T00:00:00.000Z'))).toBe(leadEventId(registered('2030-05-09T00:00:00.000Z')));
    expect(leadEventId(sentiment('Interested', '2030-05-02T00:00:00.000Z'))).toBe(leadEventId(sentiment('Interested', '2030-05-02T00:00:00.000Z')));
    expect(leadEventId(sentiment('Meeting Booked', '2030-05-03T00:00:00.000Z'))).not.toBe(leadEventId(sentiment('Interested', '2030-05-02T00:00:00.000Z')));
    expect(leadEventId(registered(undefined, 'lead-2'))).not.toBe(leadEventId(registered()));
  });

  it('reconEventId dispatches on the event family', () => {
    const [booked] = decideAppointment(observation(), initialAppointmentState());
    if (!booked) throw new Error('expected an event');
    expect(reconEventId(booked)).toBe(appointmentEventId(booked));
    expect(reconEventId(registered())).toBe(leadEventId(registered()));
  });
});
