import { describe, expect, it } from 'vitest';
import { type ChainAppointment, chainOf, meetingChains } from './meeting-chain';

const booked = (startAt: string, at: string) => ({
  eventType: 'AppointmentBooked',
  providerUpdatedAt: at,
  observedAt: at,
  startAt,
});
const rescheduled = (startAt: string, at: string | null, observedAt = '2030-06-10T00:00:00.000Z') => ({
  eventType: 'AppointmentRescheduled',
  providerUpdatedAt: at,
  observedAt,
  startAt,
});
const appt = (id: string, more: Partial<ChainAppointment> = {}): ChainAppointment => ({
  provider: 'calendly',
  providerAppointmentId: id,
  rescheduledFrom: null,
  rescheduledTo: null,
  firstObservedAt: '2030-06-01T00:00:00.000Z',
  history: [booked('2030-06-18T15:00:00.000Z', '2030-06-01T00:00:00.000Z')],
  ...more,
});

describe('meetingChains', () => {
  it('the new invitee seen before the old one is canceled: one chain named after the old invitee', () => {
    const chains = meetingChains([
      appt('new', { rescheduledFrom: 'old', firstObservedAt: '2030-05-01T00:00:00.000Z' }),
      appt('old', { firstObservedAt: '2030-06-01T00:00:00.000Z' }),
    ]);
    expect(chainOf(chains, 'calendly', 'new')).toEqual(chainOf(chains, 'calendly', 'old'));
    expect(chainOf(chains, 'calendly', 'old')).toEqual({
      meetingChainId: 'old',
      chainLength: 2,
      rescheduledAfterStart: false,
    });
  });

  it('a replaced invitee whose new invitee is not seen yet still counts the reschedule', () => {
    const old = appt('old', {
      rescheduledTo: 'pending',
      history: [
        booked('2030-06-18T15:00:00.000Z', '2030-06-01T00:00:00.000Z'),
        rescheduled('2030-06-18T15:00:00.000Z', '2030-06-18T16:00:00.000Z'),
      ],
    });
    expect(chainOf(meetingChains([old]), 'calendly', 'old')).toEqual({
      meetingChainId: 'old',
      chainLength: 2,
      rescheduledAfterStart: true,
    });
  });

  it('without a provider update time the observation time decides; the same id of two providers are two chains', () => {
    const ghl = appt('x', {
      provider: 'ghl',
      history: [
        booked('2030-06-18T15:00:00.000Z', '2030-06-01T00:00:00.000Z'),
        rescheduled('2030-06-25T15:00:00.000Z', null, '2030-06-02T00:00:00.000Z'),
      ],
    });
    const chains = meetingChains([ghl, appt('x', { rescheduledTo: 'y' }), appt('y', { rescheduledFrom: 'x' })]);
    expect(chainOf(chains, 'ghl', 'x')).toEqual({ meetingChainId: 'x', chainLength: 2, rescheduledAfterStart: false });
    expect(chainOf(chains, 'calendly', 'y')).toEqual({
      meetingChainId: 'x',
      chainLength: 2,
      rescheduledAfterStart: false,
    });
  });

  it('links that loop end in one chain, not in a hang', () => {
    const chains = meetingChains([
      appt('a', { rescheduledFrom: 'b', rescheduledTo: 'b' }),
      appt('b', { rescheduledFrom: 'a', rescheduledTo: 'a' }),
    ]);
    expect(chainOf(chains, 'calendly', 'a').meetingChainId).toBe(chainOf(chains, 'calendly', 'b').meetingChainId);
  });
});
