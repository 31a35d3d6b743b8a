import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { initialAppointmentState } from './appointments/appointment-state';
import { decideAppointment } from './appointments/decide-appointment';
import { eventIdAt, eventIdsAt, factDigest, followUpTaskId, reconEventId, streamOfEvent } from './event-ids';
import { appointmentStreamName, leadStreamName } from './streams';
import { observation, registered, sentiment } from './testing/builders';

const decided = (o: Parameters<typeof decideAppointment>[0]) => decideAppointment(o, initialAppointmentState());
const STREAM = appointmentStreamName('ws-test', 'ghl', 'appt-1');

describe('the one event-id scheme', () => {
  it('pins its test vectors (changing them changes stored ids: never do it silently)', () => {
    expect(
      eventIdAt('lead-ws-L1', 0n, {
        type: 'LeadSentimentClassified',
        data: { workspaceId: 'ws', leadId: 'L1', label: 'Meeting Booked', classifiedAt: '2030-05-02T00:00:00.000Z' },
      }),
    ).toBe(VECTORS.sentimentAt0);
    expect(
      eventIdAt('lead-ws-L1', 7, {
        type: 'LeadSentimentClassified',
        data: { workspaceId: 'ws', leadId: 'L1', label: 'Meeting Booked', classifiedAt: '2030-05-02T00:00:00.000Z' },
      }),
    ).toBe(VECTORS.sentimentAt7);
    const [booked] = decided(observation({ providerUpdatedAt: null }));
    if (!booked) throw new Error('expected an event');
    expect(eventIdsAt(STREAM, null, [booked])).toEqual([VECTORS.bookedNewStream]);
    expect(
      followUpTaskId({
        workspaceId: 'ws',
        leadId: 'L1',
        provider: 'ghl',
        providerAppointmentId: 'g1',
        kind: 'meeting-canceled',
      }),
    ).toBe(VECTORS.canceledTask);
  });

  it('a batch takes consecutive revisions after the one read; a new stream starts at 0', () => {
    const events = decided(observation({ status: 'canceled' }));
    expect(events.map((e) => e.type)).toEqual(['AppointmentBooked', 'AppointmentCanceled']);
    const [first, second] = events as [(typeof events)[0], (typeof events)[0]];
    expect(eventIdsAt(STREAM, null, events)).toEqual([eventIdAt(STREAM, 0n, first), eventIdAt(STREAM, 1n, second)]);
    expect(eventIdsAt(STREAM, 4n, events)).toEqual([eventIdAt(STREAM, 5, first), eventIdAt(STREAM, 6, second)]);
    for (const id of eventIdsAt(STREAM, null, events)) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(5);
    }
  });

  it('a retry (same fact at the same revision, seen through another channel at another time) gets the same id', () => {
    const webhook = eventIdsAt(STREAM, 3n, decided(observation({ status: 'canceled' })));
    const poller = eventIdsAt(
      STREAM,
      3n,
      decided(observation({ status: 'canceled', source: 'poller', observedAt: '2030-06-03T00:00:00.000Z' })),
    );
    expect(poller).toEqual(webhook);
  });

  it('a repeated fact at a later revision, another fact, stream or type gets another id', () => {
    const events = decided(observation({ providerUpdatedAt: null }));
    const [at0] = eventIdsAt(STREAM, null, events);
    expect(eventIdsAt(STREAM, 1n, events)[0]).not.toBe(at0);
    expect(
      eventIdsAt(
        STREAM,
        null,
        decided(observation({ providerUpdatedAt: null, startAt: '2030-06-19T15:00:00.000Z' })),
      )[0],
    ).not.toBe(at0);
    expect(eventIdsAt(appointmentStreamName('ws-test', 'ghl', 'appt-2'), null, events)[0]).not.toBe(at0);
    expect(eventIdAt(STREAM, 0, { type: 'AppointmentAttended', data: events[0]!.data })).not.toBe(at0);
  });

  it('the digest leaves out when and how recon saw the fact, and key order', () => {
    expect(factDigest({ b: 1, a: 2, observedAt: 'x', source: 'webhook', linkedAt: 'y' })).toBe(
      factDigest({ a: 2, b: 1, observedAt: 'z', source: 'poller' }),
    );
    expect(factDigest({ a: 2 })).not.toBe(factDigest({ a: 3 }));
  });

  it('reconEventId places an event in its own stream; without a revision it is the unplaced fixture id', () => {
    const [booked] = decided(observation());
    if (!booked) throw new Error('expected an event');
    expect(streamOfEvent(booked)).toBe(STREAM);
    expect(streamOfEvent(registered())).toBe(leadStreamName('ws-test', 'lead-1'));
    expect(reconEventId(booked, 2)).toBe(eventIdAt(STREAM, 2n, booked));
    expect(reconEventId(booked)).toBe(eventIdAt(STREAM, 'unplaced', booked));
    expect(reconEventId(registered('2030-05-01T00:00:00.000Z'))).toBe(
      reconEventId(registered('2030-05-09T00:00:00.000Z')),
    );
    expect(reconEventId(sentiment('Meeting Booked'))).not.toBe(reconEventId(sentiment('Interested')));
  });
});

const VECTORS = {
  sentimentAt0: '77633b8f-f1be-53d9-bc13-d2cb6580c0a5',
  sentimentAt7: 'efd03e04-c645-51d1-a718-aeb49d56123c',
  bookedNewStream: '3493c479-4d96-5144-a74b-54ce6081e07b',
  canceledTask: 'fafff8f0-cdea-5344-b34f-07f96298a234',
};
