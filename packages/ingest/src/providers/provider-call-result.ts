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
  /**
   * The configured API could not be reached through every attempt: connection refused, host
   * unreachable, name or TLS failure, timeout, or an address recon does not call (private,
   * loopback, metadata; not https). One code for all of them, so an outcome never tells an
   * operator which ports answer where (no port-scan oracle); `detail` says which, for logs only.
   */
  | 'PROVIDER_UNREACHABLE'
  /** 5xx through every attempt. */
  | 'PROVIDER_UNAVAILABLE'
  /**
   * 2xx with a body that is not JSON or not the documented shape, a body over the size cap, or a
   * redirect (never followed: the token is not replayed to another host).
   */
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
  /**
   * For logs only, never an outcome: what lay behind PROVIDER_UNREACHABLE (`ECONNREFUSED`,
   * `TIMEOUT`, `OUTBOUND_ADDRESS_BLOCKED`, …) or a refused response (`OUTBOUND_REDIRECT_REFUSED`).
   */
  readonly detail?: string;
}

export type ProviderCallResult<T> = { readonly ok: true; readonly value: T } | ProviderFailure;

export function isRetryableCode(code: ProviderFailureCode): boolean {
  return code === 'PROVIDER_UNREACHABLE' || code === 'PROVIDER_UNAVAILABLE' || code === 'PROVIDER_RATE_LIMITED';
}
