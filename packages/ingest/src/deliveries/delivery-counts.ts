/**
 * Webhook deliveries per provider of one workspace, evaluated at read time from the projection's
 * `delivery_facts` (each booking, cancellation or reschedule recon recorded, and how it first came)
 * and ingest's `webhook_receipts` (every webhook that delivered a fact version, late ones included).
 *
 * A fact counts once it is a delivery: a webhook delivered it, or it is no older than the first
 * fact any webhook of that provider delivered to the workspace (older ones are history a poll or
 * backfill imported before webhooks flowed, not deliveries). Of those:
 * - `received`: a webhook delivered it, before or after polling found it (a late webhook is received);
 * - `lost`: polling or a backfill found it, no webhook has delivered it, and the grace period after
 *   the provider's update time of the fact (`lostDeliveryGraceMinutes`) has passed;
 * - `pending`: as lost, but still within the grace period (counted neither way yet);
 * - `recovered`: polling or a backfill recorded it before any webhook did (lost ones, and received
 *   ones whose webhook came late): what recon has only because it polls.
 * `received + lost + pending` is every counted fact; a delivery that arrived is never lost. A webhook
 * delivered a fact when it carried the same appointment at the same provider update time (to the
 * second: GHL's webhooks carry whole seconds, its API milliseconds).
 */
import { sql, type Kysely } from 'kysely';

export interface DeliveryCounts {
  readonly received: number;
  readonly lost: number;
  readonly recovered: number;
  readonly pending: number;
  /** Lost facts whose provider update time is within the last 24 hours. */
  readonly lostLast24h: number;
  /** Received facts whose provider update time is within the last 24 hours. */
  readonly receivedLast24h: number;
}

const UNDEFINED_TABLE = '42P01';

export const NO_DELIVERIES: DeliveryCounts = {
  received: 0,
  lost: 0,
  recovered: 0,
  pending: 0,
  lostLast24h: 0,
  receivedLast24h: 0,
};

interface Row {
  provider: string;
  received: string;
  lost: string;
  recovered: string;
  pending: string;
  lost_24h: string;
  received_24h: string;
}

/**
 * Counts per provider of one workspace (`workspaceId`) or summed over all (null, for /metrics).
 * `graceMinutes` overrides each workspace's `lostDeliveryGraceMinutes` (default 15) when given;
 * `window` keeps the facts whose provider update time (else observation) is in [from, to) (analytics).
 */
export async function getDeliveryCounts<DB>(
  db: Kysely<DB>,
  input: {
    readonly workspaceId: string | null;
    readonly now: Date;
    readonly graceMinutes?: number;
    readonly window?: { readonly from: Date; readonly to: Date };
  },
): Promise<Record<string, DeliveryCounts>> {
  const ws = input.workspaceId;
  const now = input.now.toISOString();
  const grace = input.graceMinutes ?? null;
  const from = input.window?.from.toISOString() ?? null;
  const to = input.window?.to.toISOString() ?? null;
  const query = sql<Row>`
    WITH f AS (
      SELECT f.workspace_id, f.provider, f.source, coalesce(f.provider_updated_at, f.observed_at) AS fact_at,
        EXISTS (SELECT 1 FROM webhook_receipts r
          WHERE r.workspace_id = f.workspace_id AND r.provider = f.provider
            AND r.provider_appointment_id = f.provider_appointment_id
            AND (date_trunc('second', r.provider_updated_at) = date_trunc('second', f.provider_updated_at)
              OR (f.provider_updated_at IS NULL AND r.received_at >= f.observed_at))) AS webhook_later
      FROM delivery_facts f WHERE ${ws}::text IS NULL OR f.workspace_id = ${ws}),
    first_webhook AS (
      SELECT workspace_id, provider, min(t) AS since FROM (
        SELECT workspace_id, provider, fact_at AS t FROM f WHERE source = 'webhook'
        UNION ALL
        SELECT workspace_id, provider, coalesce(provider_updated_at, received_at) FROM webhook_receipts
        WHERE ${ws}::text IS NULL OR workspace_id = ${ws}) x
      GROUP BY workspace_id, provider),
    counted AS (
      SELECT f.*, (f.source = 'webhook' OR f.webhook_later) AS received,
        (f.source <> 'webhook' AND NOT f.webhook_later
          AND f.fact_at + make_interval(mins => coalesce(${grace}::int, s.lost_delivery_grace_minutes, 15))
            <= ${now}::timestamptz) AS lost
      FROM f JOIN first_webhook w ON w.workspace_id = f.workspace_id AND w.provider = f.provider
      LEFT JOIN workspace_settings s ON s.workspace_id = f.workspace_id
      WHERE f.source = 'webhook' OR f.fact_at >= w.since)
    SELECT provider,
      count(*) FILTER (WHERE received) AS received,
      count(*) FILTER (WHERE lost) AS lost,
      count(*) FILTER (WHERE source <> 'webhook') AS recovered,
      count(*) FILTER (WHERE NOT received AND NOT lost) AS pending,
      count(*) FILTER (WHERE lost AND fact_at > ${now}::timestamptz - interval '24 hours') AS lost_24h,
      count(*) FILTER (WHERE received AND fact_at > ${now}::timestamptz - interval '24 hours') AS received_24h
    FROM counted
    WHERE (${from}::timestamptz IS NULL OR fact_at >= ${from}::timestamptz)
      AND (${to}::timestamptz IS NULL OR fact_at < ${to}::timestamptz)
    GROUP BY provider ORDER BY provider`;
  let rows: Row[];
  try {
    ({ rows } = await query.execute(db));
  } catch (e) {
    // Before the identities projection's v2 generation is live (or ingest migrated) there is nothing to count.
    if ((e as { code?: unknown }).code === UNDEFINED_TABLE) return {};
    throw e;
  }
  const out: Record<string, DeliveryCounts> = {};
  for (const r of rows)
    out[r.provider] = {
      received: Number(r.received),
      lost: Number(r.lost),
      recovered: Number(r.recovered),
      pending: Number(r.pending),
      lostLast24h: Number(r.lost_24h),
      receivedLast24h: Number(r.received_24h),
    };
  return out;
}
