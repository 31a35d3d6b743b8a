import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBookingTokens } from './booking-token';

const tokens = createBookingTokens('root-secret-for-booking-token-tests-0123456789');

describe('signed booking tokens', () => {
  it('a token issued for a lead names that lead, in its workspace only', () => {
    const t = tokens.issue('ws_a', 'lead-42');
    expect(t).toMatch(/^recon:lead-42\.[A-Za-z0-9_-]{22}$/);
    expect(tokens.verify('ws_a', t)).toEqual({ ok: true, leadId: 'lead-42' });
    expect(tokens.verify('ws_a', t.slice('recon:'.length))).toEqual({ ok: true, leadId: 'lead-42' });
    expect(tokens.verify('ws_b', t)).toEqual({ ok: false, code: 'BOOKING_TOKEN_INVALID' });
  });

  it.each([
    ['recon:lead-42', 'BOOKING_TOKEN_UNSIGNED'], // the old unsigned form
    ['recon:lead-42.', 'BOOKING_TOKEN_UNSIGNED'],
    ['recon:.AAAAAAAAAAAAAAAAAAAAAA', 'BOOKING_TOKEN_UNSIGNED'],
    ['recon:lead-42.short', 'BOOKING_TOKEN_UNSIGNED'],
    ['recon:lead-42.AAAAAAAAAAAAAAAAAAAAAA', 'BOOKING_TOKEN_INVALID'], // forged MAC
  ])('%s → %s', (token, code) => {
    expect(tokens.verify('ws_a', token)).toEqual({ ok: false, code });
  });

  it('a MAC moved to another lead id, or made under another root secret, is refused', () => {
    const mac = tokens.issue('ws_a', 'lead-1').split('.').pop() as string;
    expect(tokens.verify('ws_a', `recon:lead-2.${mac}`).ok).toBe(false);
    const other = createBookingTokens('another-root-secret-0123456789abcdef-0123');
    expect(tokens.verify('ws_a', other.issue('ws_a', 'lead-1')).ok).toBe(false);
  });

  it('round-trips any lead id (dots and unicode included)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (leadId) => {
        expect(tokens.verify('ws_p', tokens.issue('ws_p', leadId))).toEqual({ ok: true, leadId });
      }),
      { numRuns: 200 },
    );
  });
});
