/**
 * What the reconciler, scheduler, cron route and backfill runner share in one process: the stores,
 * the secret box and email hasher under RECON_SECRET_KEY, the projections-backed lead lookup, and
 * one rate-limiter registry (so every caller paces a provider account together), and the metrics
 * that count provider calls on the process's /metrics.
 */
import {
  createBookingTokenGate,
  projectionsLeadLookup,
  RateLimiterRegistry,
  type IngestMetrics,
  type ProviderTuning,
  type ReconcileDeps,
} from '@recon/ingest';
import { createEmailHasher, createSecretBox } from '@recon/workspaces';
import type { OutboundPolicy } from '@recon/outbound';
import type { Runtime } from './open-runtime';

export function createReconcileDeps(
  runtime: Runtime,
  secretKey: string,
  clock: () => Date,
  providers?: ProviderTuning,
  /** RECON_SECRET_KEY_PREVIOUS during a key rotation: credentials it sealed still open. */
  previousSecretKey?: string,
  /** config.allowPrivateUrls as a policy: which addresses provider clients may call (default strict). */
  outboundPolicy: OutboundPolicy = { allowPrivate: false },
  /** Counts provider calls into the /metrics of this process's app (createReconMetrics); default: not counted. */
  metrics?: IngestMetrics,
): ReconcileDeps {
  return {
    db: runtime.db,
    store: runtime.store,
    secretBox: createSecretBox(secretKey, previousSecretKey),
    hashEmail: createEmailHasher(secretKey),
    leadLookup: projectionsLeadLookup(runtime.db, runtime.store),
    bookingTokens: createBookingTokenGate(secretKey),
    limiters: new RateLimiterRegistry(),
    clock,
    outboundPolicy,
    ...(providers !== undefined ? { providers } : {}),
    ...(metrics !== undefined ? { metrics } : {}),
  };
}
