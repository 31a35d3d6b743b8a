/**
 * What the reconciler, the scheduler and the backfill runner need from the outside: the stores,
 * the secret box (provider credentials), the email hasher, the lead lookup (bookings found by a
 * window scan), one limiter registry shared by every caller in the process (so scheduler, cron,
 * check-now and backfills pace one provider account together), a clock, and an optional hook for
 * outbound notifications (the outbox lives elsewhere).
 */
import type { Provider } from '@recon/domain';
import type { EventStore } from '@recon/eventstore';
import type { EmailHasher, SecretBox, WorkspacesDatabase } from '@recon/workspaces';
import type { Lookup, OutboundPolicy } from '@recon/outbound';
import type { Kysely } from 'kysely';
import type { RateLimiterRegistry, RateLimitOptions } from '../providers/provider-rate-limiter';
import type { ProviderHttpOptions, RetryOptions } from '../providers/provider-http';
import type { BookingTokenGate } from '../webhooks/booking-token-gate';
import type { LeadLookup } from '../webhooks/lead-lookup';
import type { ReconcileNotification } from './reconcile-notification';
import type { IngestMetrics } from '../observability/ingest-metrics';

export interface ProviderTuning {
  /** Per-account limits by provider; default each provider module's (GHL 100 / 10 s + 200k/day, Calendly 500 / min). */
  readonly rateLimits?: Partial<Readonly<Record<Provider, RateLimitOptions>>>;
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** Replaces the guarded fetch (tests that must not reach any network). */
  readonly fetch?: typeof fetch;
  /** Largest provider response read, bytes (default outbound-fetch.ts's 4 MiB). */
  readonly maxResponseBytes?: number;
  /** Name resolution of the guarded fetch (a test resolver); default DNS. */
  readonly lookup?: Lookup;
  /** Told why a provider call could not be made (codes only, e.g. ECONNREFUSED): for logs. */
  readonly onFailure?: ProviderHttpOptions['onFailure'];
}

export interface ReconcileDeps {
  readonly db: Kysely<WorkspacesDatabase>;
  readonly store: EventStore;
  readonly secretBox: SecretBox;
  readonly hashEmail: EmailHasher;
  readonly leadLookup: LeadLookup;
  /** Verifies booking tokens (UTM) of bookings a check or scan reads; only signed ones name a lead. */
  readonly bookingTokens: BookingTokenGate;
  readonly limiters: RateLimiterRegistry;
  readonly clock: () => Date;
  /**
   * Which addresses provider clients may call (config `allowPrivateUrls`): strict unless the
   * process allows private URLs (simulators, the demo, tests). Passed explicitly, never read here.
   */
  readonly outboundPolicy: OutboundPolicy;
  readonly providers?: ProviderTuning;
  /** Provider requests, 429s, latency and limiter waits by provider, for /metrics (default: not counted). */
  readonly metrics?: IngestMetrics;
  /** Called after a check changed what recon says about a lead; must not throw. */
  readonly notify?: (notification: ReconcileNotification) => void | Promise<void>;
}
