/**
 * Per-workspace leases in PostgreSQL (`reconcile_leases`): a tick (scheduler, cron, another
 * replica) reconciles a workspace only while it holds its lease, so two ticks never check the same
 * workspace at once. A lease expires by itself (a crashed holder blocks nobody for longer than the
 * TTL); times come from the database clock so replicas need not agree on theirs.
 */
import { sql } from 'kysely';
import type { ReconcileDb } from '../reconcile/reconcile-tables';

/** Takes the lease when it is free or expired (or already ours). */
export async function acquireWorkspaceLease(
  db: ReconcileDb,
  workspaceId: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const ttl = sql`make_interval(secs => ${ttlMs / 1000})`;
  const row = await db
    .insertInto('reconcile_leases')
    .values({
      workspace_id: workspaceId,
      holder,
      expires_at: sql`now() + ${ttl}`,
      last_served_at: null,
      last_scan_at: null,
    })
    .onConflict((oc) =>
      oc
        .column('workspace_id')
        .doUpdateSet({ holder, expires_at: sql`now() + ${ttl}` })
        .where((eb) =>
          eb.or([
            eb('reconcile_leases.expires_at', '<', sql<Date>`now()`),
            eb('reconcile_leases.holder', '=', holder),
            eb('reconcile_leases.holder', 'is', null),
          ]),
        ),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

/** Extends a lease we hold; false when it was lost (expired and taken). */
export async function renewWorkspaceLease(
  db: ReconcileDb,
  workspaceId: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const r = await db
    .updateTable('reconcile_leases')
    .set({ expires_at: sql`now() + make_interval(secs => ${ttlMs / 1000})` })
    .where('workspace_id', '=', workspaceId)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Frees the lease and records that the workspace was served now (fairness order of the next tick). */
export async function releaseWorkspaceLease(
  db: ReconcileDb,
  workspaceId: string,
  holder: string,
  served: { at: Date; scanned: boolean },
): Promise<void> {
  await db
    .updateTable('reconcile_leases')
    .set({
      holder: null,
      expires_at: sql`now()`,
      last_served_at: served.at,
      ...(served.scanned ? { last_scan_at: served.at } : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .where('holder', '=', holder)
    .execute();
}

/** Workspace ids in serving order: never served first, then least recently served. */
export async function workspacesInServingOrder(db: ReconcileDb): Promise<{ id: string; lastScanAt: Date | null }[]> {
  const rows = await db
    .selectFrom('workspaces as w')
    .leftJoin('reconcile_leases as l', 'l.workspace_id', 'w.id')
    .select(['w.id as id', 'l.last_served_at as lastServedAt', 'l.last_scan_at as lastScanAt'])
    .orderBy(sql`l.last_served_at NULLS FIRST`)
    .orderBy('w.id')
    .execute();
  return rows.map((r) => ({ id: r.id, lastScanAt: r.lastScanAt === null ? null : new Date(r.lastScanAt) }));
}
