/**
 * The header every provider may send with a 429: `Retry-After` (seconds or an HTTP date). Each
 * provider's own reading of its rate-limit headers lives in its folder (`<name>-rate-limit.ts`).
 */
import { secondsHeader } from './provider-http';

/** `Retry-After` as milliseconds from `nowMs`, or null when absent or unreadable. */
export function retryAfterMs(headers: Headers, nowMs: number): number | null {
  const secs = secondsHeader(headers, 'retry-after');
  if (secs !== null) return Math.ceil(secs * 1000);
  const raw = headers.get('retry-after');
  const at = raw ? Date.parse(raw) : NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
