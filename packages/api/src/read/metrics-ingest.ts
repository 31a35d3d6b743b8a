/**
 * Ingest's metrics on prom-client: webhook deliveries by provider and outcome, and provider API
 * traffic by provider (exchanges by status class, 429 answers, latency, time queued behind recon's
 * own per-account limiter, call results after retries). Implements @recon/ingest's IngestMetrics,
 * which buildApp hands the webhook routes and `recon start` hands its ReconcileDeps (so the
 * scheduler's and backfills' calls count in the same registry as check-now's). Labels: provider
 * names and bounded enums only.
 */
import type { IngestMetrics } from '@recon/ingest';
import type { MetricsRegistry } from './metrics-registry';

/** Provider calls are slower than recon's own routes: buckets up to a minute. */
export const PROVIDER_LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** 2xx…5xx by class, 429 on its own (the limiter's business), `none` when no answer came. */
export function providerStatusClass(status: number | null): string {
  if (status === null) return 'none';
  if (status === 429) return '429';
  return `${Math.floor(status / 100)}xx`;
}

export function createIngestMetrics(registry: MetricsRegistry): IngestMetrics {
  const webhooks = registry.counter(
    'recon_webhooks_total',
    'Webhook deliveries by provider and outcome (accepted, duplicate, ignored, not_configured, signature_rejected, invalid_payload, rejected, secret_unreadable, unavailable)',
    ['provider', 'outcome'],
  );
  const requests = registry.counter(
    'recon_provider_requests_total',
    'HTTP exchanges with a provider API (each retry counts) by provider and status class (2xx, 3xx, 4xx, 429, 5xx, none = no answer)',
    ['provider', 'status'],
  );
  const rateLimited = registry.counter(
    'recon_provider_rate_limited_total',
    '429 answers from a provider API, by provider',
    ['provider'],
  );
  const latency = registry.histogram(
    'recon_provider_request_duration_seconds',
    'Duration of one HTTP exchange with a provider API, request to end of body, by provider',
    ['provider'],
    PROVIDER_LATENCY_BUCKETS,
  );
  const queued = registry.histogram(
    'recon_provider_limiter_wait_seconds',
    "Time a provider request waited for its turn in recon's per-account rate limiter, by provider",
    ['provider'],
    PROVIDER_LATENCY_BUCKETS,
  );
  const calls = registry.counter(
    'recon_provider_calls_total',
    'Provider client calls after their retries, by provider and result (ok or the failure code)',
    ['provider', 'result'],
  );
  return {
    webhook: (provider, outcome) => webhooks.inc({ provider, outcome }),
    providerExchange: (provider, { status, seconds }) => {
      requests.inc({ provider, status: providerStatusClass(status) });
      if (status === 429) rateLimited.inc({ provider });
      latency.observe({ provider }, seconds);
    },
    providerQueued: (provider, seconds) => queued.observe({ provider }, seconds),
    providerCall: (provider, result) => calls.inc({ provider, result }),
  };
}
