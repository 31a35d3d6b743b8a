/**
 * The groups of routes buildApp can serve; `recon start` turns its roles into a set of them. The
 * probes, /metrics and /docs are not a group: every app serves them.
 * - workspaces: admin routes (workspaces, API keys) and provider configuration
 * - read: the operator read API (leads, mismatches, tasks, gate, stats) and the operator page
 * - leads: the lead feed (`PUT …/leads/:leadId`, `POST …/leads:batch`)
 * - webhooks: the provider webhooks
 * - reconcile: cron tick, check-now, backfills, unmatched appointments (ingest)
 * - notifications: the outbound notifications' operator routes (notifications)
 */
import type { BackfillRoutesDeps, ProviderTuning, ReconcileDeps, ReconcileRoutesDeps } from '@recon/ingest';
import type { NotificationRoutesConfig } from '@recon/notifications';

export const ALL_ROUTE_GROUPS = ['workspaces', 'read', 'leads', 'webhooks', 'reconcile', 'notifications'] as const;
export type RouteGroup = (typeof ALL_ROUTE_GROUPS)[number];

export interface ReconcileRoutesOptions {
  /** What reconciliation uses; default the app's services, a fresh limiter registry and `providers`. */
  readonly deps?: ReconcileDeps;
  /** Provider client tuning of the default deps (tests: a `fetch` that refuses every call). */
  readonly providers?: ProviderTuning;
  /** CRON_SECRET; null or absent: the cron route answers 401 to every call. */
  readonly cronSecret?: string | null;
  readonly tick?: ReconcileRoutesDeps['tick'];
  readonly checkMinIntervalMs?: number;
  readonly backfill?: BackfillRoutesDeps['runner'];
}

export type NotificationRoutesOptions = NotificationRoutesConfig;
