/**
 * GHL's limits (ghl.md §5): 100 requests / 10 s and 200,000 / day per location. No reset header is
 * documented: a 429 waits `Retry-After` if present, else the burst interval
 * (`X-RateLimit-Interval-Milliseconds`); `X-RateLimit-Daily-Remaining: 0` is the daily cap (final
 * until the next day).
 */
import { secondsHeader, type RateLimitVerdict } from '../provider-http';
import type { RateLimitOptions } from '../provider-rate-limiter';
import { retryAfterMs } from '../rate-limit-headers';

export const GHL_RATE_LIMIT: RateLimitOptions = { maxRequests: 100, intervalMs: 10_000, dailyMax: 200_000 };

export function ghlRateLimit(headers: Headers): RateLimitVerdict {
  const dailyRemaining = secondsHeader(headers, 'x-ratelimit-daily-remaining');
  if (dailyRemaining === 0) return { waitMs: null, daily: true };
  const after = retryAfterMs(headers, Date.now());
  if (after !== null) return { waitMs: after, daily: false };
  const interval = secondsHeader(headers, 'x-ratelimit-interval-milliseconds');
  return { waitMs: interval === null ? null : Math.ceil(interval), daily: false };
}
