/**
 * When and how long to wait before another attempt. 503 and 429 answers (and 409 STALE_READ) are
 * retried for every call (the API documents that nothing was written: docs/errors.md), waiting at least what
 * `Retry-After` asks plus a little jitter so many clients do not come back at the same instant;
 * network failures and timeouts only for idempotent calls, with full-jitter exponential back-off.
 * Attempts are bounded, and a `Retry-After` longer than `maxDelayMs` is not waited for: the error
 * goes to the caller with `retryAfterMs`.
 */
export interface RetryOptions {
  /** Attempts in all, the first included (default 4; 1 disables retries). */
  readonly maxAttempts?: number;
  /** First back-off step without Retry-After, ms (default 250; doubles per attempt). */
  readonly baseDelayMs?: number;
  /** Longest single wait, ms (default 30,000): a longer Retry-After is handed to the caller instead. */
  readonly maxDelayMs?: number;
  /** [0, 1) source of jitter (default Math.random; tests pin it). */
  readonly random?: () => number;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly random: () => number;
}

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? 4)),
    baseDelayMs: Math.max(0, options.baseDelayMs ?? 250),
    maxDelayMs: Math.max(0, options.maxDelayMs ?? 30_000),
    random: options.random ?? Math.random,
  };
}

/**
 * Answers retried whatever the call: the API wrote nothing and says when to come back — 429, 503,
 * and 409 STALE_READ (a read's `minPosition` not reached yet; `Retry-After: 1`).
 */
export function isRetryableAnswer(status: number, code: string | null): boolean {
  return status === 429 || status === 503 || (status === 409 && code === 'STALE_READ');
}

/** `Retry-After` as ms: delta-seconds or an HTTP date (relative to `now`); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1). With a Retry-After: that, plus up
 * to 10 % (at most 1 s) of jitter — never less than asked. Without: full jitter over
 * `baseDelayMs · 2^(attempt-1)`, capped at `maxDelayMs`. Null: do not wait that long (the caller
 * gives up).
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | null): number | null {
  if (retryAfterMs !== null) {
    if (retryAfterMs > policy.maxDelayMs) return null;
    const jitter = Math.min(1000, retryAfterMs * 0.1) * policy.random();
    return Math.round(retryAfterMs + jitter);
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * policy.random());
}
