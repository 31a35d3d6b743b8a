/** A workspace's webhook deliveries per provider as the read API shows them (grace from its settings). */
import { getDeliveryCounts } from '@recon/ingest';
import { getWorkspaceSettings, type WorkspacesDatabase } from '@recon/workspaces';
import type { Kysely } from 'kysely';

export interface DeliveryCountsJson {
  readonly received: number;
  readonly lost: number;
  readonly recovered: number;
  readonly pending: number;
}

export async function workspaceDeliveries(
  db: Kysely<WorkspacesDatabase>,
  workspaceId: string,
  now: Date,
): Promise<Record<string, DeliveryCountsJson>> {
  const settings = await getWorkspaceSettings(db, workspaceId);
  const counts = await getDeliveryCounts(db, {
    workspaceId,
    now,
    graceMinutes: settings.lostDeliveryGraceMinutes,
  });
  const out: Record<string, DeliveryCountsJson> = {};
  for (const [provider, c] of Object.entries(counts))
    out[provider] = { received: c.received, lost: c.lost, recovered: c.recovered, pending: c.pending };
  return out;
}
