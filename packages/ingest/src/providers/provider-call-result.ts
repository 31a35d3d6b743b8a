/**
 * What every provider client call returns: a value, or a coded failure. Clients never throw for
 * anything the network or the provider does; codes are stable and carry no PII.
 */
export type ProviderFailureCode =
  /** 429 persisted through the retries, or the provider asked for a longer wait than we allow. */
  | 'PROVIDER_RATE_LIMITED'
  /** GHL daily cap reached (provider said so, or our own daily reservoir is empty). */
  | 'PROVIDER_DAILY_LIMIT'
  /** 401: bad, expired or unscoped token. Never retried. */
  | 'PROVIDER_UNAUTHORIZED'
  /** 403: token valid but not allowed (plan, role, scope). Never retried. */
  | 'PROVIDER_FORBIDDEN'
  /** 404 on a resource we asked for. */
  | 'PROVIDER_NOT_FOUND'
  /** Another 4xx: our request was refused; retrying would not help. */
  | 'PROVIDER_REJECTED'
  /** Every attempt timed out. */
  | 'PROVIDER_TIMEOUT'
  /** 5xx or network failure through every attempt. */
  | 'PROVIDER_UNAVAILABLE'
  /** 2xx with a body that is not JSON or not the documented shape. */
  | 'PROVIDER_BAD_RESPONSE'
  /** Pagination did not end within the configured page budget (or repeated a token). */
  | 'PROVIDER_PAGINATION_LIMIT';

export interface ProviderFailure {
  readonly ok: false;
  readonly code: ProviderFailureCode;
  /** Last HTTP status seen, when there was one. */
  readonly status?: number;
  /** How long the provider asked us to wait (rate limits), when known. */
  readonly retryAfterMs?: number;
  readonly attempts: number;
  /** Schema issue paths for PROVIDER_BAD_RESPONSE (never values). */
  readonly issues?: readonly string[];
}

export type ProviderCallResult<T> = { readonly ok: true; readonly value: T } | ProviderFailure;

export function isRetryableCode(code: ProviderFailureCode): boolean {
  return code === 'PROVIDER_TIMEOUT' || code === 'PROVIDER_UNAVAILABLE' || code === 'PROVIDER_RATE_LIMITED';
}
