/**
 * How long a 429 asks us to wait, per provider (ghl.md §5, calendly.md §6).
 * - Calendly: `Retry-After` if present (undocumented), else `X-RateLimit-Reset` = seconds until reset.
 * - GHL: no reset header is documented. `Retry-After` if present, else the burst interval
 *   (`X-RateLimit-Interval-Milliseconds`) when `X-RateLimit-Remaining` is 0; a 429 with
 *   `X-RateLimit-Daily-Remaining: 0` is the daily cap (final until the next day).
 */
import { type RateLimitVerdict, secondsHeader } from './provider-http';

function retryAfterMs(headers: Headers, nowMs: number): number | null {
  const secs = secondsHeader(headers, 'retry-after');
  if (secs !== null) return Math.ceil(secs * 1000);
  const raw = headers.get('retry-after');
  const at = raw ? Date.parse(raw) : NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

export function calendlyRateLimit(headers: Headers): RateLimitVerdict {
  const after = retryAfterMs(headers, Date.now());
  if (after !== null) return { waitMs: after, daily: false };
  const reset = secondsHeader(headers, 'x-ratelimit-reset');
  return { waitMs: reset === null ? null : Math.ceil(reset * 1000), daily: false };
}

export function ghlRateLimit(headers: Headers): RateLimitVerdict {
  const dailyRemaining = secondsHeader(headers, 'x-ratelimit-daily-remaining');
  if (dailyRemaining === 0) return { waitMs: null, daily: true };
  const after = retryAfterMs(headers, Date.now());
  if (after !== null) return { waitMs: after, daily: false };
  const interval = secondsHeader(headers, 'x-ratelimit-interval-milliseconds');
  return { waitMs: interval === null ? null : Math.ceil(interval), daily: false };
}
