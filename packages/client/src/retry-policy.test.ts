import { describe, expect, it } from 'vitest';
import { isRetryableAnswer, parseRetryAfter, retryDelayMs, retryPolicy } from './retry-policy';

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates; null when absent or unreadable', () => {
    const now = Date.parse('2030-06-01T10:00:00.000Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sat, 01 Jun 2030 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 01 Jun 2030 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('-1', now)).toBeNull();
    expect(parseRetryAfter('1.5', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});

describe('retryDelayMs', () => {
  it('waits at least Retry-After, with at most 10 % (≤ 1 s) of jitter on top', () => {
    const low = retryPolicy({ random: () => 0 });
    const high = retryPolicy({ random: () => 0.999999 });
    expect(retryDelayMs(low, 1, 2000)).toBe(2000);
    expect(retryDelayMs(high, 1, 2000)).toBe(2200);
    expect(retryDelayMs(high, 1, 20_000)).toBe(21_000);
  });

  it('hands a Retry-After longer than maxDelayMs to the caller (null)', () => {
    expect(retryDelayMs(retryPolicy({ maxDelayMs: 10_000 }), 1, 60_000)).toBeNull();
  });

  it('without Retry-After: full jitter over an exponential ceiling, capped', () => {
    const p = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(p, a, null))).toEqual([100, 200, 400, 800, 1000]);
    expect(retryDelayMs(retryPolicy({ random: () => 0 }), 3, null)).toBe(0);
  });

  it('retries 503, 429 and 409 STALE_READ only; at least one attempt', () => {
    expect([429, 503, 500, 502, 409, 400].map((s) => isRetryableAnswer(s, null))).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(isRetryableAnswer(409, 'STALE_READ')).toBe(true);
    expect(isRetryableAnswer(409, 'CONCURRENCY_CONFLICT')).toBe(false);
    expect(retryPolicy({ maxAttempts: 0 }).maxAttempts).toBe(1);
    expect(retryPolicy().maxAttempts).toBe(4);
  });
});
