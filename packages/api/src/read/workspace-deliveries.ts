/** A workspace's webhook deliveries per provider as the read API shows them (grace from its settings). */
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
): Promise<Record<string, DeliveryCountsJson>> {
  const counts = await getDeliveryCounts(db, { workspaceId, now });
  const out: Record<string, DeliveryCountsJson> = {};
  for (const [provider, c] of Object.entries(counts))
    out[provider] = { received: c.received, lost: c.lost, recovered: c.recovered, pending: c.pending };
  return out;
}
