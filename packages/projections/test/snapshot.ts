/** Reads every read-model view as sorted plain rows, to compare two builds of the same history. */
import { sql, type Kysely } from 'kysely';
import type { ProjectionsDatabase } from '../src/index';

const VIEWS = [
  'lead_lifecycle', 'appointments', 'appointment_history', 'mismatches', 'follow_up_tasks', 'automation_gates',
  'workspace_stats', 'lead_identities', 'unmatched_appointment_keys',
];

export async function snapshotViews(
  db: Kysely<ProjectionsDatabase>,
  options: { readonly workspaceId?: string; readonly omit?: readonly string[] } = {},
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const view of VIEWS) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(view)}`.execute(db);
    out[view] = rows
      .filter((r) => options.workspaceId === undefined || r['workspace_id'] === options.workspaceId)
      .map((r) => {
        const copy: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(r)) {
          if (options.omit?.includes(k) === true) continue;
          copy[k] = v instanceof Date ? v.toISOString() : v;
        }
        return JSON.stringify(copy, Object.keys(copy).sort());
      })
      .filter((r) => !(view === 'workspace_stats' && r.includes('"value":"0"')))
      .sort();
  }
  return out;
}
