/**
 * A workspace's provider health, per configured provider: the last webhook received (ingest's
 * webhook receipts), the last successful poll and the leads whose last check failed within the
 * hour (the projections' `lead_provider_checks`), lost deliveries in the last 24 h and the delivery
 * counts (delivery-counts.ts), and for a provider with a subscription list (Calendly) the state of
 * its webhook subscriptions, asked live. The last successful poll is the last lead check that
 * answered, or for providers scanned by window (Calendly) the scheduler's last complete scan. Unhealthy (the reasons say why):
 * - `lost_share`: lost ÷ (received + lost) of the last 24 h above LOST_SHARE_THRESHOLD (with at
 *   least MIN_LOST lost);
 * - `webhooks_silent`: no webhook for more than SILENT_HOURS while polls keep finding changes;
 * - `subscription_disabled`: the provider disabled every webhook subscription of the workspace.
 */
import type { Provider } from '@recon/domain';
import { sql } from 'kysely';
import type { ProviderCallResult } from '../providers/provider-call-result';
import type { ReconcileDeps } from '../reconcile/reconcile-deps';
import { workspaceProviders } from '../reconcile/workspace-providers';
import { createTtlCache, type TtlCache } from '../webhooks/ttl-cache';
import { getDeliveryCounts, NO_DELIVERIES, type DeliveryCounts } from './delivery-counts';

export const LOST_SHARE_THRESHOLD = 0.1;
export const MIN_LOST = 2;
export const SILENT_HOURS = 6;
/**
 * How long a provider's webhook-subscription state is reused: the page's overview asks for health
 * on every load, and each ask was a provider API call (Calendly: one per workspace). Answered
 * states only; a failed ask is asked again next time.
 */
export const SUBSCRIPTION_STATE_TTL_MS = 5 * 60_000;
const subscriptionCaches = new WeakMap<ReconcileDeps, TtlCache<SubscriptionHealth | null>>();

function subscriptionCache(deps: ReconcileDeps): TtlCache<SubscriptionHealth | null> {
  let cache = subscriptionCaches.get(deps);
  if (cache === undefined) {
    cache = createTtlCache<SubscriptionHealth | null>(SUBSCRIPTION_STATE_TTL_MS, () => deps.clock().getTime(), 1_000);
    subscriptionCaches.set(deps, cache);
  }
  return cache;
}

export type UnhealthyReason = 'lost_share' | 'webhooks_silent' | 'subscription_disabled';

export type SubscriptionHealth =
  | { readonly state: 'active' | 'disabled' | 'none'; readonly subscriptions: number }
  | { readonly state: 'unknown'; readonly code: string };

export interface ProviderHealth {
  readonly provider: Provider;
  readonly lastWebhookAt: string | null;
  readonly lastSuccessfulPollAt: string | null;
  readonly failuresLastHour: number;
  readonly lostLast24h: number;
  readonly receivedLast24h: number;
  readonly polledChangesSinceLastWebhook: number;
  readonly deliveries: Omit<DeliveryCounts, 'lostLast24h' | 'receivedLast24h'>;
  /** Null for providers without a subscription list (GHL and Cal.com webhooks are set up in their apps). */
  readonly webhookSubscription: SubscriptionHealth | null;
  readonly healthy: boolean;
  readonly reasons: readonly UnhealthyReason[];
  /** The latest backfill recon started by itself for this provider (auto-backfill.ts), or null. */
  readonly autoBackfill: AutoBackfillView | null;
}

export interface AutoBackfillView {
  readonly jobId: string;
  readonly status: string;
  readonly startedAt: string;
  readonly from: string;
  readonly to: string;
  readonly reasons: readonly string[];
}

interface AutoRow {
  provider: string;
  job_id: string;
  status: string | null;
  started_at: Date;
  range_from: Date;
  range_to: Date;
  reasons: string[];
}

/** The latest self-started backfill per provider (none before ingest's migration 005). */
async function autoBackfills(deps: ReconcileDeps, ws: string): Promise<Map<string, AutoBackfillView>> {
  const { rows } = await sql<AutoRow>`
    SELECT DISTINCT ON (a.provider) a.provider, a.job_id, j.status, a.started_at, a.range_from, a.range_to, a.reasons
    FROM auto_backfills a LEFT JOIN backfill_jobs j ON j.id = a.job_id
    WHERE a.workspace_id = ${ws} ORDER BY a.provider, a.started_at DESC`.execute(deps.db);
  return new Map(
    rows.map((r) => [
      r.provider,
      {
        jobId: r.job_id,
        status: r.status ?? 'pruned',
        startedAt: new Date(r.started_at).toISOString(),
        from: new Date(r.range_from).toISOString(),
        to: new Date(r.range_to).toISOString(),
        reasons: r.reasons,
      },
    ]),
  );
}

interface ActivityRow {
  provider: string;
  last_webhook_at: Date | null;
  polled_since: string;
}

interface CheckRow {
  provider: string;
  last_ok: Date | null;
  failed_hour: string;
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

async function activity(deps: ReconcileDeps, ws: string, now: Date): Promise<Map<string, ActivityRow>> {
  const { rows } = await sql<ActivityRow>`
    WITH last AS (SELECT provider, max(received_at) AS at FROM webhook_receipts WHERE workspace_id = ${ws} GROUP BY provider)
    SELECT last.provider, last.at AS last_webhook_at,
      (SELECT count(*) FROM delivery_facts f WHERE f.workspace_id = ${ws} AND f.provider = last.provider
        AND f.source <> 'webhook' AND f.observed_at > last.at
        AND f.observed_at > ${now.toISOString()}::timestamptz - make_interval(hours => ${SILENT_HOURS})) AS polled_since
    FROM last`.execute(deps.db);
  return new Map(rows.map((r) => [r.provider, r]));
}

async function checks(deps: ReconcileDeps, ws: string, now: Date): Promise<Map<string, CheckRow>> {
  const { rows } = await sql<CheckRow>`
    SELECT provider,
      max(checked_at) FILTER (WHERE outcome->>'kind' <> 'failed') AS last_ok,
      count(*) FILTER (WHERE outcome->>'kind' = 'failed'
        AND checked_at > ${now.toISOString()}::timestamptz - interval '1 hour') AS failed_hour
    FROM lead_provider_checks WHERE workspace_id = ${ws} GROUP BY provider`.execute(deps.db);
  return new Map(rows.map((r) => [r.provider, r]));
}

/** When the scheduler last scanned every provider window of the workspace (all answered). */
async function lastScanAt(deps: ReconcileDeps, ws: string): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | null }>`
    SELECT last_scan_at AS at FROM reconcile_leases WHERE workspace_id = ${ws}`.execute(deps.db);
  return rows[0]?.at ?? null;
}

const later = (a: Date | null | undefined, b: Date | null): Date | null =>
  a && b ? (new Date(a) > new Date(b) ? a : b) : (a ?? b);

async function subscriptionHealth(
  ask: (() => Promise<ProviderCallResult<readonly { state: string }[]>>) | undefined,
): Promise<SubscriptionHealth | null> {
  if (ask === undefined) return null;
  const r = await ask();
  if (!r.ok) return { state: 'unknown', code: r.code };
  const active = r.value.filter((s) => s.state === 'active').length;
  return {
    state: r.value.length === 0 ? 'none' : active > 0 ? 'active' : 'disabled',
    subscriptions: r.value.length,
  };
}

/** The reasons a provider is unhealthy (pure). */
export function unhealthyReasons(input: {
  readonly lostLast24h: number;
  readonly receivedLast24h: number;
  readonly lastWebhookAt: string | null;
  readonly polledChangesSinceLastWebhook: number;
  readonly webhookSubscription: SubscriptionHealth | null;
  readonly now: Date;
}): UnhealthyReason[] {
  const reasons: UnhealthyReason[] = [];
  const counted = input.lostLast24h + input.receivedLast24h;
  if (input.lostLast24h >= MIN_LOST && input.lostLast24h / counted > LOST_SHARE_THRESHOLD) reasons.push('lost_share');
  const silentMs = input.lastWebhookAt === null ? 0 : input.now.getTime() - Date.parse(input.lastWebhookAt);
  if (silentMs > SILENT_HOURS * 3_600_000 && input.polledChangesSinceLastWebhook > 0) reasons.push('webhooks_silent');
  if (input.webhookSubscription?.state === 'disabled') reasons.push('subscription_disabled');
  return reasons;
}

export async function getProviderHealth(deps: ReconcileDeps, workspaceId: string): Promise<ProviderHealth[]> {
  const now = deps.clock();
  const providers = await workspaceProviders(deps, workspaceId);
  const names = [
    ...new Set([...Object.keys(providers.connections), ...Object.keys(providers.unusable)]),
  ].sort() as Provider[];
  if (names.length === 0) return [];
  const [counts, seen, checked, scannedAt, autos] = await Promise.all([
    getDeliveryCounts(deps.db, { workspaceId, now }),
    activity(deps, workspaceId, now),
    checks(deps, workspaceId, now),
    lastScanAt(deps, workspaceId),
    autoBackfills(deps, workspaceId),
  ]);
  return Promise.all(
    names.map(async (provider) => {
      const c = counts[provider] ?? NO_DELIVERIES;
      const a = seen.get(provider);
      const k = checked.get(provider);
      const connection = providers.connections[provider];
      const webhookSubscription = await subscriptionCache(deps).get(
        `${workspaceId}\u0000${provider}`,
        () => subscriptionHealth(connection?.webhookSubscriptions?.bind(connection)),
        (h) => h !== null && h.state !== 'unknown',
      );
      const base = {
        provider,
        lastWebhookAt: iso(a?.last_webhook_at),
        // A lead check that answered, or (providers scanned by window) the tick's last complete scan.
        lastSuccessfulPollAt: iso(connection?.scanWindow ? later(k?.last_ok, scannedAt) : k?.last_ok),
        failuresLastHour: Number(k?.failed_hour ?? 0),
        lostLast24h: c.lostLast24h,
        receivedLast24h: c.receivedLast24h,
        polledChangesSinceLastWebhook: Number(a?.polled_since ?? 0),
        deliveries: { received: c.received, lost: c.lost, recovered: c.recovered, pending: c.pending },
        webhookSubscription,
      };
      const reasons = unhealthyReasons({ ...base, now });
      return { ...base, healthy: reasons.length === 0, reasons, autoBackfill: autos.get(provider) ?? null };
    }),
  );
}
