/**
 * The ingest side of a provider, in one value: everything recon does with GHL, Calendly or any
 * later scheduler goes through a `ProviderModule` registered in `registry.ts`. The generic code
 * (configuration routes, webhook routes, reconciler, scheduler, backfill, limiter registry) only
 * iterates the registry; nothing outside `providers/<name>/` names a provider.
 *
 * A module has five parts:
 * - `credentials`: the PUT body (zod), the default API base URL (declared here only), how a valid
 *   body splits into public configuration (GET shows it) and the sealed secret, and how the stored
 *   pair reads back into the provider's credentials.
 * - `rateLimit`: the provider's default limits and which account the limiter paces (a location, the
 *   token's user, …): every caller in the process paces that account together.
 * - `connect`: the client factory. Given credentials and HTTP settings (limiter included) it returns
 *   a `ProviderConnection`: the lead check and, optionally, a window scan for backfills/scheduler.
 * - `webhook`: the route `POST /webhooks/<name>/:ws` — signature check and delivery ingestion; the
 *   generic route (`webhooks/provider-webhook-route.ts`) does workspace lookup, raw body, caching of
 *   credentials and the status policy.
 * - `displayName`: how messages name the provider ("GHL is not configured for this workspace").
 * - `unmatched` (optional): how an unmatched booking is explained when the provider matches by its own
 *   identifier rather than by email (see unmatched-spec.ts).
 */
import type { WebhookSubscriptionState } from './calendly/calendly-webhook-subscriptions';
import type { ProviderCallResult } from './provider-call-result';
import type { AppointmentState, Provider } from '@recon/domain';
import type { EmailHasher } from '@recon/workspaces';
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { CheckContext, ProviderCheckResult } from '../reconcile/provider-check';
import type { ReconcileDeps } from '../reconcile/reconcile-deps';
import type { KnownAppointment } from '../reconcile/reconcile-tables';
import type { IngestResult } from '../webhooks/ingest-result';
import type { SignatureResult } from '../webhooks/signature-result';
import type { WebhookDeps } from '../webhooks/webhook-deps';
import type { ProviderHttpOptions } from './provider-http';
import type { RateLimitOptions } from './provider-rate-limiter';
import type { ProviderUnmatchedSpec } from './unmatched-spec';

/** A provider's configuration as stored per workspace: public part (GET shows it) and opened secret. */
export interface StoredCredentials {
  readonly publicConfig: Readonly<Record<string, unknown>>;
  readonly secret: Readonly<Record<string, unknown>>;
}

export interface ProviderCredentialsSpec<Input, Creds> {
  /** Body of `PUT /v1/workspaces/:ws/providers/<name>` (strict: unknown fields are refused). */
  readonly input: z.ZodType<Input>;
  /** The provider's production API; a workspace may override it (`apiBaseUrl`, e.g. a simulator). */
  readonly defaultApiBaseUrl: string;
  /** A valid body with made-up values: the API reference's example of the PUT (and, split, of the GET). */
  readonly example: Input;
  /** A valid body → what is stored. The secret is sealed; the public config is shown by GET as is. */
  split(input: Input): StoredCredentials;
  /** What was stored (rows written by any earlier version too) → the credentials the module uses. */
  read(stored: StoredCredentials): Creds;
}

export interface ProviderRateLimitSpec<Creds> {
  /** The provider's documented limits per account (a tuning may override them, e.g. the demo). */
  readonly defaults: RateLimitOptions;
  /** The account the provider counts requests against (an id, or a hash of the token: never the token). */
  account(credentials: Creds): string;
}

/** HTTP settings the reconciler hands every client: timeouts, retries, fetch, and the account's limiter. */
export type ClientHttpOptions = Omit<ProviderHttpOptions, 'baseUrl' | 'accessToken'>;

/**
 * What the reconciler knows about one lead, for any provider's check. A module uses what it needs
 * (GHL: the contact id; Calendly: the emails) and answers `skipped` when it has nothing to ask with.
 * Emails are PII: used for the lookup only, never stored or logged.
 */
export interface LeadFacts {
  /** The lead's CRM contact id (GHL's contact), or null. */
  readonly ghlContactId: string | null;
  readonly email: string | null;
  readonly alternateEmails: readonly string[];
  /** This provider's appointments recon holds for the lead (ids, and when a check found one missing). */
  readonly known: readonly KnownAppointment[];
  /** Reads one of this provider's appointment streams (e.g. a deleted appointment's last known times). */
  appointmentState(providerAppointmentId: string): Promise<AppointmentState>;
  /** True when this email hash is on two or more leads (bookings under it stay unmatched). */
  ambiguous(emailHash: string): Promise<boolean>;
  readonly hashEmail: EmailHasher;
  /**
   * The lead ids of a booking's UTM tokens whose MAC verifies for this workspace (this provider's
   * refusals are counted); what a check records as the appointment's `utmLeadIds` match keys.
   */
  utmLeadIds(tokens: readonly string[]): string[];
}

/** A window scan request (rolling scan by the scheduler, phase 2 of a backfill); resumable by page token. */
export interface WindowScanInput {
  readonly workspaceId: string;
  readonly minStartTime: string;
  readonly maxStartTime: string;
  readonly source: 'poller' | 'backfill';
  readonly pageToken?: string | null;
  /** Called after each page is fully applied, with the next page's token (null at the end); true stops. */
  readonly onPage?: (progress: {
    nextPageToken: string | null;
    eventsAppended: number;
    scannedEvents: number;
  }) => Promise<boolean | void>;
  /** Stop before the next page when this returns true (time budget, cancel). */
  readonly shouldStop?: () => boolean;
}

export type WindowScanResult =
  | {
      readonly ok: true;
      readonly eventsAppended: number;
      readonly scannedEvents: number;
      readonly complete: boolean;
      readonly nextPageToken: string | null;
    }
  | { readonly ok: false; readonly code: string; readonly eventsAppended: number };

/** One appointment to read again by its provider id (a reschedule's successor recon has not seen). */
export interface AppointmentFetchInput {
  readonly workspaceId: string;
  readonly providerAppointmentId: string;
  readonly source: 'poller' | 'backfill';
}

/** Found (and observed into its stream), answered "does not exist" (`code` says how), or failed. */
export type AppointmentFetchResult =
  | { readonly ok: true; readonly found: true; readonly eventsAppended: number }
  | { readonly ok: true; readonly found: false; readonly code: string }
  | { readonly ok: false; readonly code: string };

/** A workspace's provider, ready to be asked: credentials read, client built, limiter attached. */
export interface ProviderConnection {
  /** Asks the provider about one lead; never throws (failures are outcomes). */
  checkLead(ctx: CheckContext, lead: LeadFacts): Promise<ProviderCheckResult>;
  /** Re-reads the provider's bookings in a start-time window (providers with no per-lead history need it). */
  scanWindow?(deps: ReconcileDeps, input: WindowScanInput): Promise<WindowScanResult>;
  /** The provider's webhook subscriptions and their states, where it has such a list (Calendly). */
  webhookSubscriptions?(): Promise<ProviderCallResult<readonly WebhookSubscriptionState[]>>;
  /** Reads one appointment by its id and observes it (providers whose reschedules name a successor URI). */
  fetchAppointment?(deps: ReconcileDeps, input: AppointmentFetchInput): Promise<AppointmentFetchResult>;
}

export interface WebhookRequest {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** The caller's clock, epoch ms (for timestamped signatures). */
  readonly nowMs: number;
}

export interface ProviderWebhookSpec<Creds> {
  /**
   * What the route answers when the delivery cannot be stored now. Default 503 (`DATABASE_UNAVAILABLE`
   * for the credentials read); a provider that retries only on 429 (GHL) says `WEBHOOK_RETRY_LATER`.
   */
  readonly retryLaterCode?: 'WEBHOOK_RETRY_LATER';
  verify(request: WebhookRequest, credentials: Creds, deps: WebhookDeps): SignatureResult;
  /** A verified delivery → appointment events (matched to a lead or kept unmatched). */
  ingest(
    deps: WebhookDeps,
    target: { readonly workspaceId: string; readonly credentials: Creds },
    rawBody: Buffer,
  ): Promise<IngestResult>;
}

export interface ProviderModule<Creds = unknown, Input = unknown> {
  readonly name: Provider;
  /** For messages: "GHL", "Calendly". */
  readonly displayName: string;
  readonly credentials: ProviderCredentialsSpec<Input, Creds>;
  readonly rateLimit: ProviderRateLimitSpec<Creds>;
  /** The client factory: credentials + HTTP settings → the connection the reconciler asks. */
  connect(credentials: Creds, http: ClientHttpOptions): ProviderConnection;
  readonly webhook: ProviderWebhookSpec<Creds>;
  /** Unset: bookings are matched by email, and explained so (unmatched-appointments-route.ts). */
  readonly unmatched?: ProviderUnmatchedSpec;
}

/** Declares a module with its own credential types checked; the registry stores it type-erased. */
export function defineProvider<Creds, Input>(module: ProviderModule<Creds, Input>): ProviderModule {
  return module as unknown as ProviderModule;
}
