/**
 * What routes use, built once by buildApp from its dependencies: stores, clock, secret box, email
 * hasher, the API key lookup cache (a route that revokes a key must `forget` it). Route plugins (this and the read API's) receive it as their options.
 */
import type { EventStore } from '@recon/eventstore';
import type { BookingTokenGate, LeadLookup } from '@recon/ingest';
import type { RunnerState } from '@recon/projections';
import type { EmailHasher, SecretBox, WorkspacesDatabase } from '@recon/workspaces';
import type { OutboundPolicy } from '@recon/outbound';
import type { StreamKeyring } from '@recon/privacy';
import type { Kysely } from 'kysely';
import type { ApiKeyCache } from './auth/api-key-cache';
import type { ReconMetrics } from './read/metrics-recon';

export interface AppServices {
  readonly db: Kysely<WorkspacesDatabase>;
  readonly store: EventStore;
  readonly clock: () => Date;
  readonly secretBox: SecretBox;
  readonly hashEmail: EmailHasher;
  readonly leadLookup: LeadLookup;
  /** Issues the lead's booking token (lead routes) and verifies deliveries' tokens (webhooks); counts refusals. */
  readonly bookingTokens: BookingTokenGate;
  readonly apiKeys: ApiKeyCache;
  /** The projection runners of this process (empty where it runs none), for /readyz and /metrics. */
  readonly runners: () => ReadonlyMap<string, RunnerState>;
  /** /readyz and /metrics name a server transaction older than this (seconds). */
  readonly longTransactionSeconds: number;
  /**
   * Which URLs recon may be told to call (provider `apiBaseUrl`, `notifyUrl`), checked when they are
   * saved and again when they are called: strict unless config `allowPrivateUrls` is on.
   */
  readonly outboundPolicy: OutboundPolicy;
  /** The registry /metrics renders and the webhook / provider-call counters that write into it. */
  readonly metrics: ReconMetrics;
  /** The per-stream keys of crypto-shredding: erasure destroys the lead's and its bookings' keys. */
  readonly streamKeys: StreamKeyring;
}
