/**
 * The one GET path every provider client uses: limiter → fetch with a timeout → classify → retry.
 * - Failures to reach the API (refused, unreachable, name or TLS failure, timeout, an address the
 *   outbound policy refuses) are one code, PROVIDER_UNREACHABLE, so outcomes are no port-scan
 *   oracle; which one it was is in the failure's `detail` (for logs). They and 5xx are retried
 *   with exponential backoff and full jitter, up to `maxAttempts`.
 * - The default fetch is the guarded one (outbound-fetch.ts, strict policy unless the caller
 *   passes another): https only, addresses checked at connect time, no redirects (a 3xx is
 *   PROVIDER_BAD_RESPONSE: the token is never replayed elsewhere), the body capped in size.
 * - 429: the account's limiter is paused for the provider's wait (see `rateLimitWaitMs`), then
 *   retried, up to `maxRateLimitRetries`; a daily-cap 429 is final. A wait longer than
 *   `maxRateLimitWaitMs` is never waited for: that call, every later call of the paused account,
 *   and any call already queued behind the pause for that long fail PROVIDER_RATE_LIMITED with
 *   `retryAfterMs`, so a tick records the failure and moves on instead of hanging.
 * - Other 4xx: final, never retried (401 in particular).
 * - 2xx: body parsed as JSON, then with the zod-backed parser; a bad shape is final.
 * Only GET exists here: the clients are read-only by construction. Nothing is logged; `onRetry`
 * reports codes and delays only.
 */
import { outboundFailureDetail, outboundRefusalCode } from '@recon/outbound';
import { outboundFetch, STRICT_OUTBOUND } from './outbound-fetch';
import type { AccountRateLimiter } from './provider-rate-limiter';
import { DAILY_LIMIT_REACHED } from './provider-rate-limiter';
import type { ProviderCallResult, ProviderFailure, ProviderFailureCode } from './provider-call-result';
import { report, type ProviderExchange } from '../observability/ingest-metrics';

export interface RetryOptions {
  /** Attempts for timeouts / network errors / 5xx (default 4). */
  readonly maxAttempts?: number;
  /** Extra attempts allowed after 429s (default 8). */
  readonly maxRateLimitRetries?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A 429 asking for a longer wait fails at once with retryAfterMs (default 120 s). */
  readonly maxRateLimitWaitMs?: number;
  readonly random?: () => number;
}

/** Told of every exchange, limiter wait and call result (for metrics; must not throw, is guarded anyway). */
export interface ProviderHttpObserver {
  exchange(exchange: ProviderExchange): void;
  /** Seconds a request waited for its turn in the account's limiter (only when there is a limiter). */
  queued(seconds: number): void;
  call(result: 'ok' | ProviderFailureCode): void;
}

export interface ProviderHttpOptions {
  readonly baseUrl: string;
  readonly accessToken: string;
  /** Default: the guarded fetch under the strict outbound policy (see outbound-fetch.ts). */
  readonly fetch?: typeof fetch;
  readonly limiter?: AccountRateLimiter;
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  readonly onRetry?: (info: {
    readonly code: ProviderFailureCode;
    readonly attempt: number;
    readonly delayMs: number;
  }) => void;
  readonly observe?: ProviderHttpObserver;
  /** Told of every failure that has a `detail` (codes only: for an operator's log, never an outcome). */
  readonly onFailure?: (info: { readonly code: ProviderFailureCode; readonly detail: string }) => void;
}

export interface RateLimitVerdict {
  /** How long to wait before retrying; null = unknown (use backoff). */
  readonly waitMs: number | null;
  /** True when the daily cap is spent: do not retry. */
  readonly daily: boolean;
}

export interface GetJsonRequest<T> {
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly parse: (body: unknown) => { ok: true; value: T } | { ok: false; issues: readonly string[] };
  /** Provider-specific reading of a 429's headers. */
  readonly rateLimit: (headers: Headers) => RateLimitVerdict;
}

type Attempt<T> =
  | { kind: 'done'; result: ProviderCallResult<T> }
  | {
      kind: 'retry';
      code: ProviderFailureCode;
      status?: number;
      waitMs: number | null;
      rateLimited: boolean;
      detail?: string;
    };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const GAVE_UP = Symbol('GAVE_UP');

/**
 * Runs `run` through the account's limiter, but waits for its turn at most `maxQueueMs`: a job
 * still queued then (behind a long 429 pause) is abandoned — it will not fetch when its turn
 * comes — and GAVE_UP is returned.
 */
async function scheduleBounded<R>(
  limiter: AccountRateLimiter,
  run: () => Promise<R>,
  maxQueueMs: number,
): Promise<R | typeof DAILY_LIMIT_REACHED | typeof GAVE_UP> {
  let abandoned = false;
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<typeof GAVE_UP>((resolve) => {
    timer = setTimeout(() => {
      abandoned = true;
      resolve(GAVE_UP);
    }, maxQueueMs);
  });
  const scheduled = limiter.schedule(async () => (abandoned ? GAVE_UP : run()));
  // Once abandoned nobody awaits it: its late outcome must not become an unhandled rejection.
  scheduled.catch(() => undefined);
  try {
    return await Promise.race([scheduled, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

export function buildUrl(baseUrl: string, path: string, query?: Readonly<Record<string, string | undefined>>): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

function failure(
  code: ProviderFailureCode,
  attempts: number,
  extra: Partial<Omit<ProviderFailure, 'ok' | 'code' | 'attempts'>> = {},
): ProviderFailure {
  return { ok: false, code, attempts, ...extra };
}

async function attemptOnce<T>(
  opts: ProviderHttpOptions,
  req: GetJsonRequest<T>,
  attempt: number,
  maxQueueMs: number,
): Promise<Attempt<T>> {
  const doFetch = opts.fetch ?? outboundFetch({ policy: STRICT_OUTBOUND });
  const url = buildUrl(opts.baseUrl, req.path, req.query);
  const observe = opts.observe;
  const queuedAt = performance.now();
  const run = async () => {
    const startedAt = performance.now();
    if (observe !== undefined && opts.limiter !== undefined)
      report(() => observe.queued((startedAt - queuedAt) / 1000));
    const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
    let status: number | null = null;
    try {
      const res = await doFetch(url, {
        method: 'GET',
        headers: { Accept: 'application/json', Authorization: `Bearer ${opts.accessToken}`, ...req.headers },
        signal,
      });
      status = res.status;
      const text = await res.text();
      return { status: res.status, headers: res.headers, text };
    } finally {
      if (observe !== undefined)
        report(() => observe.exchange({ status, seconds: (performance.now() - startedAt) / 1000 }));
    }
  };
  let response: { status: number; headers: Headers; text: string };
  try {
    const scheduled = opts.limiter ? await scheduleBounded(opts.limiter, run, maxQueueMs) : await run();
    if (scheduled === DAILY_LIMIT_REACHED) return { kind: 'done', result: failure('PROVIDER_DAILY_LIMIT', attempt) };
    if (scheduled === GAVE_UP) {
      const retryAfterMs = opts.limiter?.pausedForMs() ?? 0;
      return {
        kind: 'done',
        result: failure('PROVIDER_RATE_LIMITED', attempt, retryAfterMs > 0 ? { retryAfterMs } : {}),
      };
    }
    response = scheduled;
  } catch (error) {
    const refused = outboundRefusalCode(error);
    if (refused === 'OUTBOUND_REDIRECT_REFUSED' || refused === 'OUTBOUND_RESPONSE_TOO_LARGE') {
      const issue = refused === 'OUTBOUND_REDIRECT_REFUSED' ? '(root): redirect_refused' : '(root): too_large';
      return {
        kind: 'done',
        result: failure('PROVIDER_BAD_RESPONSE', attempt, { issues: [issue], detail: refused }),
      };
    }
    return {
      kind: 'retry',
      code: 'PROVIDER_UNREACHABLE',
      waitMs: null,
      rateLimited: false,
      detail: outboundFailureDetail(error),
    };
  }
  const { status } = response;
  if (status >= 200 && status < 300) {
    let json: unknown;
    try {
      json = JSON.parse(response.text);
    } catch {
      return {
        kind: 'done',
        result: failure('PROVIDER_BAD_RESPONSE', attempt, { status, issues: ['(root): invalid_json'] }),
      };
    }
    const parsed = req.parse(json);
    if (!parsed.ok)
      return { kind: 'done', result: failure('PROVIDER_BAD_RESPONSE', attempt, { status, issues: parsed.issues }) };
    return { kind: 'done', result: { ok: true, value: parsed.value } };
  }
  if (status === 429) {
    const verdict = req.rateLimit(response.headers);
    if (verdict.daily) {
      await opts.limiter?.exhaustDaily();
      return { kind: 'done', result: failure('PROVIDER_DAILY_LIMIT', attempt, { status }) };
    }
    return { kind: 'retry', code: 'PROVIDER_RATE_LIMITED', status, waitMs: verdict.waitMs, rateLimited: true };
  }
  if (status >= 500) return { kind: 'retry', code: 'PROVIDER_UNAVAILABLE', status, waitMs: null, rateLimited: false };
  const code: ProviderFailureCode =
    status === 401
      ? 'PROVIDER_UNAUTHORIZED'
      : status === 403
        ? 'PROVIDER_FORBIDDEN'
        : status === 404
          ? 'PROVIDER_NOT_FOUND'
          : 'PROVIDER_REJECTED';
  return { kind: 'done', result: failure(code, attempt, { status }) };
}

/** GET a JSON resource with limiter, timeout, retries and schema parsing. Never throws. */
export async function getJson<T>(opts: ProviderHttpOptions, req: GetJsonRequest<T>): Promise<ProviderCallResult<T>> {
  const result = await getJsonOnce(opts, req);
  const observe = opts.observe;
  if (observe !== undefined) report(() => observe.call(result.ok ? 'ok' : result.code));
  if (!result.ok && result.detail !== undefined) {
    try {
      opts.onFailure?.({ code: result.code, detail: result.detail });
    } catch {
      // A reporting hook never changes the outcome.
    }
  }
  return result;
}

async function getJsonOnce<T>(opts: ProviderHttpOptions, req: GetJsonRequest<T>): Promise<ProviderCallResult<T>> {
  const r = opts.retry ?? {};
  const maxAttempts = r.maxAttempts ?? 4;
  const maxRateLimitRetries = r.maxRateLimitRetries ?? 8;
  const base = r.baseDelayMs ?? 250;
  const cap = r.maxDelayMs ?? 30_000;
  const maxWait = r.maxRateLimitWaitMs ?? 120_000;
  const random = r.random ?? Math.random;
  let failures = 0;
  let rateLimits = 0;
  for (let attempt = 1; ; attempt++) {
    // The account is paused (an earlier 429) for longer than we would ever wait: fail at once.
    const pausedMs = opts.limiter?.pausedForMs() ?? 0;
    if (pausedMs > maxWait) return failure('PROVIDER_RATE_LIMITED', attempt, { retryAfterMs: pausedMs });
    const outcome = await attemptOnce(opts, req, attempt, maxWait);
    if (outcome.kind === 'done') return outcome.result;
    const status = outcome.status === undefined ? {} : { status: outcome.status };
    let delay: number;
    if (outcome.rateLimited) {
      rateLimits++;
      if (outcome.waitMs !== null && outcome.waitMs > maxWait) {
        opts.limiter?.pause(outcome.waitMs);
        return failure('PROVIDER_RATE_LIMITED', attempt, { ...status, retryAfterMs: outcome.waitMs });
      }
      if (rateLimits > maxRateLimitRetries) {
        return failure('PROVIDER_RATE_LIMITED', attempt, {
          ...status,
          ...(outcome.waitMs === null ? {} : { retryAfterMs: outcome.waitMs }),
        });
      }
      const backoff = Math.min(cap, base * 2 ** (rateLimits - 1));
      delay = (outcome.waitMs ?? backoff) + Math.floor(random() * base);
      opts.limiter?.pause(delay);
    } else {
      failures++;
      if (failures >= maxAttempts)
        return failure(outcome.code, attempt, {
          ...status,
          ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
        });
      delay = Math.floor(random() * Math.min(cap, base * 2 ** (failures - 1)));
    }
    opts.onRetry?.({ code: outcome.code, attempt, delayMs: delay });
    await sleep(delay);
  }
}

/** Parses a header holding a number of seconds ("60", "1.5"); null when absent or not a number. */
export function secondsHeader(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : null;
}
