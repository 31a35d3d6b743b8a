/**
 * Retry spacing: exponential (base × 2^(attempt−1), capped) with "equal jitter" (half fixed, half
 * random), so many retriers that fail together do not come back at the same instant. The random
 * source is a parameter so tests can pin it.
 */
export interface BackoffPolicy {
  /** Delay after the first failed attempt, ms. */
  readonly baseMs: number;
  /** Upper bound of one delay, ms. */
  readonly maxMs: number;
}

/** Delay before the next attempt after `attempts` failed attempts (attempts ≥ 1). */
export function backoffDelayMs(attempts: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts, 1) - 1, 40);
  const capped = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(capped / 2 + random() * (capped / 2));
}
