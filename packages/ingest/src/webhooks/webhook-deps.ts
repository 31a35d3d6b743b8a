/** What the webhook plugins need; provided by the API's buildApp. */
import type { EventStore } from '@recon/eventstore';
import type { SendError } from '@recon/http';
import type { EmailHasher, SecretBox, WorkspacesDatabase } from '@recon/workspaces';
import type { Kysely } from 'kysely';
import type { BookingTokenGate } from './booking-token-gate';
import type { LeadLookup } from './lead-lookup';
import type { IngestMetrics } from '../observability/ingest-metrics';

export interface WebhookDeps {
  readonly db: Kysely<WorkspacesDatabase>;
  readonly store: EventStore;
  readonly secretBox: SecretBox;
  readonly hashEmail: EmailHasher;
  readonly leadLookup: LeadLookup;
  /** Verifies the booking tokens (UTM) of deliveries: only a token signed for the workspace names a lead. */
  readonly bookingTokens: BookingTokenGate;
  readonly clock: () => Date;
  /** The uniform error writer of @recon/http (its code → status table). */
  readonly sendError: SendError;
  /**
   * How far a signed delivery's timestamp may be from now, in seconds, for providers whose signature
   * carries one (Calendly's `t=`); unset: each provider's own default (Calendly: 180).
   */
  readonly signatureToleranceSeconds?: number;
  /** Body limit of webhook routes in bytes (default 256 KiB). */
  readonly bodyLimit?: number;
  /** Deliveries by provider and outcome, for /metrics (default: not counted). */
  readonly metrics?: IngestMetrics;
  /** How long decrypted credentials are cached per workspace, ms (default 5 000; 0 disables). */
  readonly credentialsTtlMs?: number;
}
