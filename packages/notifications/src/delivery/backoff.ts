/**
 * Retry spacing: exponential (base × 2^(attempt−1), capped) with "equal jitter" (half fixed, half
 * random), so a receiver that comes back is not hit by every worker at the same instant. The
 * random source is a parameter so tests can pin it.
 */
import { backoffDelayMs } from '@recon/resilience';

export interface BackoffOptions {
  /** Delay after the first failed attempt, ms (default 10 s). */
  readonly baseMs?: number;
  /** Upper bound of one delay, ms (default 1 h). */
  readonly maxMs?: number;
}

export const DEFAULT_BACKOFF = { baseMs: 10_000, maxMs: 60 * 60 * 1000 } as const;

/** Delay before the next attempt after `attempts` failed attempts (attempts ≥ 1). */
export function retryDelayMs(
  attempts: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  return backoffDelayMs(
    attempts,
    { baseMs: options.baseMs ?? DEFAULT_BACKOFF.baseMs, maxMs: options.maxMs ?? DEFAULT_BACKOFF.maxMs },
    random,
  );
}
