/**
 * The request rate limits of recon's HTTP server, one fixed window per class of caller:
 * - `webhook`: per workspace and client address on `/webhooks/:provider/:ws` (a flood at one
 *   workspace does not starve the others; the provider retries a 429);
 * - `api`: per principal (the admin token, or one operator key) on the authenticated API;
 * - `ip`: per client address everywhere else (probes, /metrics, /docs, /openapi.json, the operator
 *   page, the cron route, unknown routes) and, in a bucket of its own, for requests that fail
 *   authentication.
 * `max` 0 turns a class off. Defaults are far above what one honest caller sends, so the limits
 * only bite floods; load tests pass their own.
 */
export interface RateLimit {
  /** Requests allowed per window and key (0: no limit). */
  readonly max: number;
  readonly windowMs: number;
}

export interface RateLimitSettings {
  readonly webhook: RateLimit;
  readonly api: RateLimit;
  readonly ip: RateLimit;
}

export type RateLimitOverrides = { readonly [K in keyof RateLimitSettings]?: Partial<RateLimit> };

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  webhook: { max: 3_000, windowMs: 60_000 },
  api: { max: 3_000, windowMs: 60_000 },
  ip: { max: 600, windowMs: 60_000 },
};

export function resolveRateLimits(overrides: RateLimitOverrides = {}): RateLimitSettings {
  return {
    webhook: { ...DEFAULT_RATE_LIMITS.webhook, ...overrides.webhook },
    api: { ...DEFAULT_RATE_LIMITS.api, ...overrides.api },
    ip: { ...DEFAULT_RATE_LIMITS.ip, ...overrides.ip },
  };
}
