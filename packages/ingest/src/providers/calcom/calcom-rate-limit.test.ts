import { describe, expect, it } from 'vitest';
import { calcomRateLimit } from './calcom-rate-limit';

const NOW = Date.parse('2026-03-20T12:00:00Z');

describe('Cal.com 429 waits', () => {
  it('X-RateLimit-Reset-Default in seconds left (the documented fixture headers) → that wait', () => {
    const h = new Headers({
      'X-RateLimit-Limit-Default': '120',
      'X-RateLimit-Remaining-Default': '0',
      'X-RateLimit-Reset-Default': '42',
    });
    expect(calcomRateLimit(h, NOW)).toEqual({ waitMs: 42_000, daily: false });
  });

  it('a custom limit name, an epoch reset (seconds or ms), Retry-After first, nothing → unknown', () => {
    expect(calcomRateLimit(new Headers({ 'X-RateLimit-Reset-Custom': '7' }), NOW).waitMs).toBe(7_000);
    expect(calcomRateLimit(new Headers({ 'X-RateLimit-Reset-Default': String(NOW / 1000 + 30) }), NOW).waitMs).toBe(
      30_000,
    );
    expect(calcomRateLimit(new Headers({ 'X-RateLimit-Reset-Default': String(NOW + 5_000) }), NOW).waitMs).toBe(5_000);
    expect(calcomRateLimit(new Headers({ 'Retry-After': '3', 'X-RateLimit-Reset-Default': '42' }), NOW).waitMs).toBe(
      3_000,
    );
    expect(calcomRateLimit(new Headers(), NOW)).toEqual({ waitMs: null, daily: false });
  });
});
