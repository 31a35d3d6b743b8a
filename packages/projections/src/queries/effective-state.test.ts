import { describe, expect, it } from 'vitest';
import { effectiveGate, effectiveLeadState } from './effective-state';

const end = new Date('2030-06-18T15:30:00.000Z');
const booked = { booking_state: 'booked', current_status: 'scheduled', current_end_at: end };

describe('read-time booking state', () => {
  it('a booked lead reads booked until its meeting ends, then completed and assumed', () => {
    expect(effectiveLeadState(booked, new Date('2030-06-18T15:29:59.999Z'))).toEqual({
      state: 'booked',
      assumed: false,
    });
    expect(effectiveLeadState(booked, end)).toEqual({ state: 'completed', assumed: true });
  });

  it('a replaced invitee waiting for its successor is never assumed completed', () => {
    expect(effectiveLeadState({ ...booked, current_status: 'replaced' }, new Date('2031-01-01T00:00:00.000Z'))).toEqual(
      { state: 'booked', assumed: false },
    );
  });

  it('the gate keeps its decision and only its reason follows the clock', () => {
    const gate = { ...booked, may_enroll: false, must_pause: true, reason: 'booked' };
    expect(effectiveGate(gate, new Date('2031-01-01T00:00:00.000Z'))).toEqual({
      mayEnroll: false,
      mustPause: true,
      reason: 'completed',
    });
    expect(
      effectiveGate(
        { ...gate, booking_state: 'canceled', reason: 'canceled_needs_review' },
        new Date('2031-01-01T00:00:00.000Z'),
      ).reason,
    ).toBe('canceled_needs_review');
  });
});
