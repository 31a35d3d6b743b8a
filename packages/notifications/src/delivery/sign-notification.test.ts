import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signNotification, verifyNotificationSignature } from './sign-notification';

const SECRET = 'notify-secret-0123456789abcdef';
const NOW = Date.parse('2030-01-01T00:00:00.000Z');

describe('signNotification', () => {
  it('is t=<unix s>,v1=<hex HMAC-SHA256(secret, t + "." + body)> as Calendly signs', () => {
    const body = '{"id":"x"}';
    const t = Math.floor(NOW / 1000);
    expect(signNotification(SECRET, body, NOW)).toBe(
      `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`,
    );
  });

  it('verifies its own signatures, and refuses tampered bodies, other secrets, stale times and junk', () => {
    const body = '{"id":"x","leadId":"L1"}';
    const header = signNotification(SECRET, body, NOW);
    expect(verifyNotificationSignature({ header, rawBody: body, secret: SECRET, nowMs: NOW + 60_000 })).toEqual({
      ok: true,
    });
    expect(
      verifyNotificationSignature({ header, rawBody: body.replace('L1', 'L2'), secret: SECRET, nowMs: NOW }),
    ).toMatchObject({ code: 'NOTIFICATION_SIGNATURE_INVALID' });
    expect(verifyNotificationSignature({ header, rawBody: body, secret: `${SECRET}!`, nowMs: NOW })).toMatchObject({
      code: 'NOTIFICATION_SIGNATURE_INVALID',
    });
    expect(verifyNotificationSignature({ header, rawBody: body, secret: SECRET, nowMs: NOW + 181_000 })).toMatchObject({
      code: 'NOTIFICATION_SIGNATURE_STALE',
    });
    expect(verifyNotificationSignature({ header: undefined, rawBody: body, secret: SECRET, nowMs: NOW })).toMatchObject(
      { code: 'NOTIFICATION_SIGNATURE_MISSING' },
    );
    expect(
      verifyNotificationSignature({ header: 't=1,v1=zz', rawBody: body, secret: SECRET, nowMs: NOW }),
    ).toMatchObject({ code: 'NOTIFICATION_SIGNATURE_INVALID' });
  });

  it('round-trips any body and never verifies a changed one', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (body, extra) => {
        const header = signNotification(SECRET, body, NOW);
        expect(verifyNotificationSignature({ header, rawBody: body, secret: SECRET, nowMs: NOW }).ok).toBe(true);
        expect(verifyNotificationSignature({ header, rawBody: body + extra, secret: SECRET, nowMs: NOW }).ok).toBe(
          false,
        );
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
