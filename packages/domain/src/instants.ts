/**
 * Comparing ISO-8601 instants. Providers send different precisions (Calendly microseconds, others
 * milliseconds), so instants are compared by their parsed value, never as strings. Pure: the
 * clock is never read here, time always comes in as an argument.
 */
import type { Instant } from './events/primitives';

export function instantMs(value: Instant): number {
  return Date.parse(value);
}

/** Negative when a is earlier than b, 0 when the same millisecond, positive when later. */
export function compareInstants(a: Instant, b: Instant): number {
  return instantMs(a) - instantMs(b);
}

export function sameInstant(a: Instant, b: Instant): boolean {
  return compareInstants(a, b) === 0;
}

export function laterInstant(a: Instant, b: Instant): Instant {
  return compareInstants(a, b) >= 0 ? a : b;
}

/** The later of two optional instants; null only when both are null. */
export function laterOf(a: Instant | null, b: Instant | null): Instant | null {
  if (a === null) return b;
  if (b === null) return a;
  return laterInstant(a, b);
}
