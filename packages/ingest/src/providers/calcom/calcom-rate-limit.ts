/**
 * Cal.com's limits (calcom.md §9.6): 120 requests / 60 s per API key (OAuth tokens 500), blocked for
 * 60 s once over. A 429 carries `X-RateLimit-Reset-<Name>` (name `Default` unless a custom limit is
 * configured) and no `Retry-After`. The reset's unit is not documented (seconds left by the
 * throttler library's contract; a third party calls it an epoch): a value that looks like an epoch
 * (seconds or ms) is read as one, anything else as seconds left. `Retry-After` wins when present.
 */
import { secondsHeader, type RateLimitVerdict } from '../provider-http';
import type { RateLimitOptions } from '../provider-rate-limiter';
import { retryAfterMs } from '../rate-limit-headers';

export const CALCOM_RATE_LIMIT: RateLimitOptions = { maxRequests: 120, intervalMs: 60_000 };

const EPOCH_SECONDS = 1_000_000_000;
const EPOCH_MS = 1_000_000_000_000;

/** The reset header's wait in ms, from any `X-RateLimit-Reset-*` header (Default first). */
function resetWaitMs(headers: Headers, nowMs: number): number | null {
  let value = secondsHeader(headers, 'x-ratelimit-reset-default');
  for (const [name] of headers.entries()) {
    if (value !== null) break;
    if (name.toLowerCase().startsWith('x-ratelimit-reset-')) value = secondsHeader(headers, name);
  }
  if (value === null) return null;
  if (value >= EPOCH_MS) return Math.max(0, value - nowMs);
  if (value >= EPOCH_SECONDS) return Math.max(0, value * 1000 - nowMs);
  return Math.ceil(value * 1000);
}

export function calcomRateLimit(headers: Headers, nowMs = Date.now()): RateLimitVerdict {
  const after = retryAfterMs(headers, nowMs);
  if (after !== null) return { waitMs: after, daily: false };
  return { waitMs: resetWaitMs(headers, nowMs), daily: false };
}
