/**
 * A workspace's webhook deliveries per provider as the read API shows them (grace from its
 * settings); with `window`, only the facts whose provider update time falls in it.
 */
import { getDeliveryCounts } from '@recon/ingest';
import type { Kysely } from 'kysely';

export interface DeliveryCountsJson {
  readonly received: number;
  readonly lost: number;
  readonly recovered: number;
  readonly pending: number;
}

export async function workspaceDeliveries(
  db: Kysely<unknown>,
  workspaceId: string,
  now: Date,
  window?: { readonly from: Date; readonly to: Date },
): Promise<Record<string, DeliveryCountsJson>> {
  const counts = await getDeliveryCounts(db, { workspaceId, now, ...(window !== undefined ? { window } : {}) });
  const out: Record<string, DeliveryCountsJson> = {};
  for (const [provider, c] of Object.entries(counts))
    out[provider] = { received: c.received, lost: c.lost, recovered: c.recovered, pending: c.pending };
  return out;
}
