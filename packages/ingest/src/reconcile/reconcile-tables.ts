/**
 * Ingest's own bookkeeping tables (not read models: nothing here is derived from events alone).
 * - `reconcile_leads`: the scheduler's memory per lead (last attempt, what the last check saw, the
 *   provider appointments known for the lead) so lead selection never waits for projection lag.
 * - `reconcile_leases`: one expiring lease per workspace, so two ticks never reconcile the same
 *   workspace at once; also remembers when a workspace was last served (fairness).
 * - `backfill_jobs`: resumable backfills with their cursor, saved after every page.
 */
import type { Provider } from '@recon/domain';
import type { ColumnType, Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { WorkspacesDatabase } from '@recon/workspaces';

type Ts = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** A provider appointment known to belong to a lead (ids only, no PII). */
export interface KnownAppointment {
  readonly provider: Provider;
  readonly id: string;
  /**
   * GHL: when a check first found the appointment missing (absent from the contact's list, 404 by
   * id) while the contact was found. A second such check some time later observes the deletion.
   */
  readonly missingSince?: string;
}

export interface ReconcileLeadsTable {
  workspace_id: string;
  lead_id: string;
  last_attempt_at: Ts;
  /** Last check where every configured provider answered. */
  last_success_at: Ts | null;
  booking_state: string;
  current_end_at: Ts | null;
  known_appointments: Json<KnownAppointment[]>;
  failures: number;
}

export interface ReconcileLeasesTable {
  workspace_id: string;
  holder: string | null;
  expires_at: Ts;
  last_served_at: Ts | null;
  last_scan_at: Ts | null;
}

export interface BackfillJobsTable {
  id: string;
  workspace_id: string;
  status: string;
  providers: Json<string[]>;
  range_from: Ts | null;
  range_to: Ts | null;
  /** Where to continue: `{ phase, leadAfter?, pageToken? }`. */
  cursor: Json<Record<string, unknown>>;
  leads_total: number;
  leads_done: number;
  events_appended: number;
  failures: Json<Record<string, number>>;
  holder: string | null;
  lease_expires_at: Ts | null;
  created_at: Ts;
  started_at: Ts | null;
  updated_at: Ts;
  finished_at: Ts | null;
  cancel_requested: boolean;
  /** Why a failed job failed (a code, never a message: no PII); null otherwise. */
  error_code: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ReconcileDatabase extends WorkspacesDatabase {
  reconcile_leads: ReconcileLeadsTable;
  reconcile_leases: ReconcileLeasesTable;
  backfill_jobs: BackfillJobsTable;
}

export type ReconcileLeadRow = Selectable<ReconcileLeadsTable>;
export type NewReconcileLeadRow = Insertable<ReconcileLeadsTable>;
export type BackfillJobRow = Selectable<BackfillJobsTable>;

export type ReconcileDb = Kysely<ReconcileDatabase> | Transaction<ReconcileDatabase>;

/** The workspaces database seen with ingest's tables too (same connection pool). */
export function reconcileDb(db: Kysely<WorkspacesDatabase>): Kysely<ReconcileDatabase> {
  return db.withTables<Omit<ReconcileDatabase, keyof WorkspacesDatabase>>();
}
