import { describe, expect, it } from 'vitest';
import { createBookingTokenGate } from './booking-token-gate';

const SECRET = 'gate-test-secret-0123456789abcdef-0123456789';

describe('BookingTokenGate', () => {
  it('keeps only tokens signed for the workspace, in order and once; counts the others by provider and reason', () => {
    const gate = createBookingTokenGate(SECRET);
    const a = gate.issue('ws_a', 'lead-1');
    const b = gate.issue('ws_a', 'lead-2');
    const foreign = gate.issue('ws_b', 'lead-3');
    const ids = gate.leadIds('ws_a', 'calendly', [
      'recon:lead-9',
      b,
      a,
      b,
      foreign,
      `recon:lead-1.${'A'.repeat(22)}`,
      'recon:lead-1.short',
    ]);
    expect(ids).toEqual(['lead-2', 'lead-1']);
    expect(gate.leadIds('ws_a', 'calcom', ['recon:lead-1'])).toEqual([]);
    expect(
      [...gate.refusals()].sort((x, y) => `${x.provider}${x.reason}`.localeCompare(`${y.provider}${y.reason}`)),
    ).toEqual([
      { provider: 'calcom', reason: 'unsigned', count: 1 },
      { provider: 'calendly', reason: 'invalid', count: 2 },
      { provider: 'calendly', reason: 'unsigned', count: 2 },
    ]);
  });

  it('a token for a lead id with dots verifies (the MAC is after the last dot)', () => {
    const gate = createBookingTokenGate(SECRET);
    expect(gate.leadIds('ws_a', 'calendly', [gate.issue('ws_a', 'crm.lead.7')])).toEqual(['crm.lead.7']);
    expect(gate.refusals()).toEqual([]);
  });
});
