/**
 * One API call with its retries: Bearer auth, a per-attempt timeout, the caller's AbortSignal,
 * 503/429 (and 409 STALE_READ) retried honouring Retry-After (every call), network failures and timeouts retried for
 * idempotent calls only, the API's error body turned into a typed ReconError, and the answer
 * checked against the route's schema (a drifted answer is an error, not a wrong value).
 */
import type { z } from 'zod';
import { abortableSleep } from './abortable-sleep';
import { knownCode, ReconError, type ReconErrorCode, type ReconErrorDetail } from './recon-error';
import { isRetryableAnswer, parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry-policy';

export interface RetryEvent {
  /** The route template (no ids, no query). */
  readonly route: string;
  /** The attempt that failed (1 = the first). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly status: number | null;
  readonly code: ReconErrorCode;
}

export interface Transport {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch: typeof fetch;
  readonly policy: RetryPolicy;
  readonly timeoutMs: number;
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
}

export interface RequestSpec<S extends z.ZodType> {
  readonly method: 'GET' | 'PUT' | 'POST';
  /** The route template, for errors and retry events: `GET /v1/workspaces/:ws/leads/:leadId`. */
  readonly route: string;
  /** The path with its ids, already encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  /** Safe to send twice: network failures and timeouts are retried. */
  readonly idempotent: boolean;
  readonly schema: S;
  readonly signal?: AbortSignal | undefined;
}

type Outcome = { kind: 'answer'; response: Response; text: string } | { kind: 'failed'; error: ReconError };

export async function sendRequest<S extends z.ZodType>(t: Transport, spec: RequestSpec<S>): Promise<z.output<S>> {
  const url = buildUrl(t.baseUrl, spec.path, spec.query);
  const headers: Record<string, string> = { authorization: `Bearer ${t.apiKey}`, accept: 'application/json' };
  if (spec.body !== undefined) headers['content-type'] = 'application/json';
  const body = spec.body !== undefined ? JSON.stringify(spec.body) : undefined;

  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(t, spec, url, headers, body, attempt);
    let error: ReconError;
    let retryAfterMs: number | null = null;
    if (outcome.kind === 'answer') {
      const { response, text } = outcome;
      if (response.ok) return parseAnswer(spec, response.status, text, attempt);
      retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      error = errorFromAnswer(spec.route, response.status, text, attempt, retryAfterMs);
      if (!isRetryableAnswer(response.status, error.code)) throw error;
    } else {
      error = outcome.error;
      if (error.code === 'ABORTED' || !spec.idempotent) throw error;
    }
    const delayMs = attempt < t.policy.maxAttempts ? retryDelayMs(t.policy, attempt, retryAfterMs) : null;
    if (delayMs === null) throw error;
    t.onRetry?.({ route: spec.route, attempt, delayMs, status: error.status, code: error.code });
    try {
      await abortableSleep(delayMs, spec.signal);
    } catch (reason) {
      throw new ReconError({
        code: 'ABORTED',
        route: spec.route,
        message: 'aborted while waiting to retry',
        attempts: attempt,
        cause: reason,
      });
    }
  }
}

async function attemptOnce(
  t: Transport,
  spec: RequestSpec<z.ZodType>,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  attempt: number,
): Promise<Outcome> {
  const timeout = AbortSignal.timeout(t.timeoutMs);
  const signal = spec.signal !== undefined ? AbortSignal.any([spec.signal, timeout]) : timeout;
  try {
    const response = await t.fetch(url, {
      method: spec.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal,
    });
    const text = await response.text();
    return { kind: 'answer', response, text };
  } catch (cause) {
    const code: ReconErrorCode = spec.signal?.aborted ? 'ABORTED' : timeout.aborted ? 'TIMEOUT' : 'NETWORK_ERROR';
    const message =
      code === 'ABORTED'
        ? 'aborted by the caller'
        : code === 'TIMEOUT'
          ? `no answer within ${t.timeoutMs} ms`
          : 'no HTTP answer';
    return { kind: 'failed', error: new ReconError({ code, route: spec.route, message, attempts: attempt, cause }) };
  }
}

function parseAnswer<S extends z.ZodType>(
  spec: RequestSpec<S>,
  status: number,
  text: string,
  attempts: number,
): z.output<S> {
  const parsed = spec.schema.safeParse(parseJson(text));
  if (parsed.success) return parsed.data;
  throw new ReconError({
    code: 'UNEXPECTED_RESPONSE',
    route: spec.route,
    status,
    message: 'the answer does not match the API contract',
    // Paths and rule codes only: issue messages may quote values.
    details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })),
    attempts,
  });
}

function errorFromAnswer(
  route: string,
  status: number,
  text: string,
  attempts: number,
  retryAfterMs: number | null,
): ReconError {
  const body = parseJson(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  const e = body?.error;
  if (e === undefined || typeof e.code !== 'string') {
    return new ReconError({
      code: 'UNEXPECTED_RESPONSE',
      route,
      status,
      message: 'the answer is not the API’s error body',
      attempts,
      retryAfterMs,
    });
  }
  const code = knownCode(e.code);
  return new ReconError({
    code,
    route,
    status,
    message: typeof e.message === 'string' ? e.message : e.code,
    details: readDetails(e.details),
    attempts,
    retryAfterMs,
    ...(code === 'UNEXPECTED_RESPONSE' ? { serverCode: e.code } : {}),
  });
}

function readDetails(details: unknown): ReconErrorDetail[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d: unknown) => {
    if (typeof d !== 'object' || d === null) return [];
    const { path, code, in: where } = d as Record<string, unknown>;
    if (typeof path !== 'string' || typeof code !== 'string') return [];
    return [{ path, code, ...(typeof where === 'string' ? { in: where } : {}) }];
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function buildUrl(baseUrl: string, path: string, query: RequestSpec<z.ZodType>['query']): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}
