/**
 * Calendly's limits (calendly.md §6): 500 requests / minute per user on paid plans, 50 on Free; a
 * 429 carries `Retry-After` if present (undocumented), else `X-RateLimit-Reset` = seconds until reset.
 */
import { secondsHeader, type RateLimitVerdict } from '../provider-http';
import type { RateLimitOptions } from '../provider-rate-limiter';
import { retryAfterMs } from '../rate-limit-headers';

export const CALENDLY_RATE_LIMIT: RateLimitOptions = { maxRequests: 500, intervalMs: 60_000 };
export const CALENDLY_FREE_RATE_LIMIT: RateLimitOptions = { maxRequests: 50, intervalMs: 60_000 };

export function calendlyRateLimit(headers: Headers): RateLimitVerdict {
  const after = retryAfterMs(headers, Date.now());
  if (after !== null) return { waitMs: after, daily: false };
  const reset = secondsHeader(headers, 'x-ratelimit-reset');
  return { waitMs: reset === null ? null : Math.ceil(reset * 1000), daily: false };
}
