/**
 * Calendly's window-scan bookkeeping (`calendly_seen_events`, created by ingest's first migration):
 * the organization's events already read, with the `updated_at` they had then, so a scan re-reads
 * only events that changed. Calendly-only: other providers keep no such table.
 */
import type { WorkspacesDatabase } from '@recon/workspaces';
import type { Kysely } from 'kysely';

export interface CalendlySeenEventsTable {
  workspace_id: string;
  event_uri: string;
  updated_at: string;
}

/** The workspaces database seen with the seen-events table (same connection pool). */
export function calendlySeenEventsDb(
  db: Kysely<WorkspacesDatabase>,
): Kysely<WorkspacesDatabase & { calendly_seen_events: CalendlySeenEventsTable }> {
  return db.withTables<{ calendly_seen_events: CalendlySeenEventsTable }>();
}
