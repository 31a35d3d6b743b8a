/**
 * What the reconciliation scheduler has recorded, read from any process (for `recon status`):
 * per workspace, when a tick last served it and last scanned its provider windows (its lease
 * row), whether a tick holds it now, when a lead of it was last checked, and how many of its
 * leads are due (the same count a tick reports as `remaining`). Only workspaces with provider
 * credentials are served by a tick; the others have no due leads.
 */
import { sql, type Kysely } from 'kysely';
import { DEFAULT_RECONCILE_INTERVAL_MINUTES, type WorkspacesDatabase } from '@recon/workspaces';
import { reconcileDb } from '../reconcile/reconcile-tables';
import { countDueLeads } from './select-due-leads';

export interface WorkspaceSchedule {
  readonly workspaceId: string;
  /** The workspace has provider credentials (a tick serves only those). */
  readonly hasProviders: boolean;
  readonly reconcileIntervalMinutes: number;
  /** Leads due for a check now; 0 without providers. */
  readonly dueLeads: number;
  readonly lastServedAt: string | null;
  readonly lastScanAt: string | null;
  /** The latest check of one of its leads (any outcome). */
  readonly lastCheckAt: string | null;
  /** A tick (here or in another process) holds the workspace's lease now. */
  readonly leaseHeld: boolean;
}

export interface SchedulerStatus {
  /** The latest time a tick finished serving a workspace: the last tick that did work. */
  readonly lastTickAt: string | null;
  readonly lastCheckAt: string | null;
  readonly dueLeads: number;
  readonly workspaces: readonly WorkspaceSchedule[];
}

const iso = (d: Date | string | null | undefined) => (d === null || d === undefined ? null : new Date(d).toISOString());
const latest = (xs: readonly (string | null)[]) =>
  xs.reduce<string | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null);

export async function schedulerStatus(db: Kysely<WorkspacesDatabase>, now: Date): Promise<SchedulerStatus> {
  const rdb = reconcileDb(db);
  const { rows } = await sql<{
    id: string;
    has_providers: boolean;
    interval: number | null;
    last_served_at: Date | null;
    last_scan_at: Date | null;
    lease_held: boolean | null;
    last_check_at: Date | null;
  }>`
    SELECT w.id,
           EXISTS (SELECT FROM provider_credentials p WHERE p.workspace_id = w.id) AS has_providers,
           s.reconcile_interval_minutes AS interval,
           l.last_served_at, l.last_scan_at,
           (l.holder IS NOT NULL AND l.expires_at > now()) AS lease_held,
           (SELECT max(r.last_attempt_at) FROM reconcile_leads r WHERE r.workspace_id = w.id) AS last_check_at
    FROM workspaces w
    LEFT JOIN workspace_settings s ON s.workspace_id = w.id
    LEFT JOIN reconcile_leases l ON l.workspace_id = w.id
    ORDER BY w.id`.execute(rdb);
  const workspaces: WorkspaceSchedule[] = [];
  for (const r of rows) {
    const interval = r.interval ?? DEFAULT_RECONCILE_INTERVAL_MINUTES;
    const dueLeads = r.has_providers
      ? await countDueLeads(rdb, { workspaceId: r.id, now, intervalMinutes: interval })
      : 0;
    workspaces.push({
      workspaceId: r.id,
      hasProviders: r.has_providers,
      reconcileIntervalMinutes: interval,
      dueLeads,
      lastServedAt: iso(r.last_served_at),
      lastScanAt: iso(r.last_scan_at),
      lastCheckAt: iso(r.last_check_at),
      leaseHeld: r.lease_held === true,
    });
  }
  return {
    lastTickAt: latest(workspaces.map((w) => w.lastServedAt)),
    lastCheckAt: latest(workspaces.map((w) => w.lastCheckAt)),
    dueLeads: workspaces.reduce((n, w) => n + w.dueLeads, 0),
    workspaces,
  };
}
