/** Reads every read-model view as sorted plain rows, to compare two builds of the same history. */
import { sql, type Kysely } from 'kysely';
import { READ_MODEL_TABLES, type ProjectionsDatabase } from '../../src/index';

/** JSON with object keys sorted at every depth (jsonb comes back in its own key order). */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export async function snapshotViews(
  db: Kysely<ProjectionsDatabase>,
  options: { readonly workspaceId?: string; readonly omit?: readonly string[] } = {},
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const view of READ_MODEL_TABLES) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(view)}`.execute(db);
    out[view] = rows
      .filter((r) => options.workspaceId === undefined || r['workspace_id'] === options.workspaceId)
      .map((r) => {
        const copy: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(r)) {
          if (options.omit?.includes(k) === true) continue;
          copy[k] = v instanceof Date ? v.toISOString() : v;
        }
        return stableStringify(copy);
      })
      .filter((r) => !(view === 'workspace_stats' && r.includes('"value":"0"')))
      .sort();
  }
  return out;
}
