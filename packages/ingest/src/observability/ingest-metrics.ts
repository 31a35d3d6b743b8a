/**
 * What ingest tells an operator's metrics, as plain callbacks: webhook deliveries by provider and
 * outcome, and every HTTP exchange with a provider's API (status class, latency, time queued behind
 * recon's own rate limiter) plus the final result of each call. Ingest does not know Prometheus:
 * the API implements this with prom-client (packages/api `createReconMetrics`) and passes it in
 * through WebhookDeps and ReconcileDeps; the default does nothing. Labels are bounded enums and
 * provider names only: never a workspace, a lead or a URL.
 */
import type { Provider } from '@recon/domain';
import type { WebhookSignatureCode } from '../webhooks/signature-result';
import type { IngestFailureCode } from '../webhooks/ingest-result';
import type { ProviderFailureCode } from '../providers/provider-call-result';

/**
 * accepted / duplicate / ignored: answered 2xx (stored, already stored, not an event recon handles);
 * not_configured: 404, the workspace has no such provider; signature_rejected: 401;
 * invalid_payload: 400/422, the body can never be ingested; rejected: a valid delivery refused for
 * good (append too large, stream erased); secret_unreadable: the stored credentials do not open
 * under RECON_SECRET_KEY; unavailable: 503 (or GHL's 429), the database or event store could not
 * take it now: the provider redelivers.
 */
export const WEBHOOK_OUTCOMES = [
  'accepted',
  'duplicate',
  'ignored',
  'not_configured',
  'signature_rejected',
  'invalid_payload',
  'rejected',
  'secret_unreadable',
  'unavailable',
] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/** One HTTP exchange with a provider's API (each retry is one). */
export interface ProviderExchange {
  /** The HTTP status, or null when no answer came (refused, unreachable, timeout, blocked address). */
  readonly status: number | null;
  /** From sending the request to the end of the body (not the time queued behind the limiter). */
  readonly seconds: number;
}

export interface IngestMetrics {
  webhook(provider: Provider, outcome: WebhookOutcome): void;
  providerExchange(provider: Provider, exchange: ProviderExchange): void;
  /** How long a request waited for its turn in the account's rate limiter. */
  providerQueued(provider: Provider, seconds: number): void;
  /** The result of one client call after its retries: 'ok' or the failure code. */
  providerCall(provider: Provider, result: 'ok' | ProviderFailureCode): void;
}

export const NO_INGEST_METRICS: IngestMetrics = {
  webhook: () => undefined,
  providerExchange: () => undefined,
  providerQueued: () => undefined,
  providerCall: () => undefined,
};

/** The outcome a refused delivery counts as (every code the webhook route can answer with). */
export function webhookFailureOutcome(
  code:
    | IngestFailureCode
    | WebhookSignatureCode
    | 'PROVIDER_NOT_CONFIGURED'
    | 'SECRET_UNREADABLE'
    | 'DATABASE_UNAVAILABLE',
): WebhookOutcome {
  switch (code) {
    case 'WEBHOOK_SIGNATURE_MISSING':
    case 'WEBHOOK_SIGNATURE_INVALID':
    case 'WEBHOOK_SIGNATURE_STALE':
    case 'GHL_LEGACY_SIGNATURE_DISABLED':
      return 'signature_rejected';
    case 'PROVIDER_NOT_CONFIGURED':
      return 'not_configured';
    case 'SECRET_UNREADABLE':
      return 'secret_unreadable';
    case 'MALFORMED_JSON':
    case 'PROVIDER_PAYLOAD_INVALID':
    case 'CALENDLY_PAYLOAD_INVALID':
    case 'GHL_PAYLOAD_INVALID':
    case 'GHL_STATUS_UNKNOWN':
    case 'GHL_TIME_INVALID':
    case 'GHL_TIMEZONE_INVALID':
    case 'GHL_LOCATION_MISMATCH':
    case 'GHL_LOCATION_MISSING':
      return 'invalid_payload';
    case 'EVENT_STORE_APPEND_TOO_LARGE':
    case 'EVENT_STORE_STREAM_DELETED':
      return 'rejected';
    case 'EVENT_STORE_UNAVAILABLE':
    case 'EVENT_STORE_ACCESS_DENIED':
    case 'CONCURRENCY_CONFLICT':
    case 'DATABASE_UNAVAILABLE':
      return 'unavailable';
    default: {
      const never: never = code;
      return never;
    }
  }
}

/** Calls a metrics hook; a failing hook never changes what recon answers. */
export function report(hook: () => void): void {
  try {
    hook();
  } catch {
    // Metrics are best effort.
  }
}
