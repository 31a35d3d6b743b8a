/**
 * Lead search for the operator page: by lead id prefix (up to 20, by lead id) or by the keyed hash
 * of an email (primary or alternate). The email itself never reaches this module: the route hashes it.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { LeadLifecycleTable } from '../core/core-tables';
import { LEAD_SUMMARY_COLUMNS } from '../core/core-rows';
import { checksOf, toLeadSummary, type LeadSummary } from './lead-queries';
import type { ProjectionsDatabase } from './projections-database';

export const SEARCH_LIMIT = 20;

export type LeadSearch = { readonly emailHash: string } | { readonly leadIdPrefix: string };

/** `%`, `_` and `\` match themselves in a LIKE prefix. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function searchLeads(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  search: LeadSearch,
  now: Date,
): Promise<LeadSummary[]> {
  let q = db.selectFrom('lead_lifecycle').select(LEAD_SUMMARY_COLUMNS).where('workspace_id', '=', workspaceId);
  if ('emailHash' in search) {
    const ids = db
      .selectFrom('lead_identities')
      .select('lead_id')
      .where('workspace_id', '=', workspaceId)
      .where((eb) =>
        eb.or([
          eb('email_hash', '=', search.emailHash),
          sql<boolean>`alternate_email_hashes @> ARRAY[${search.emailHash}]::text[]`,
        ]),
      );
    q = q.where('lead_id', 'in', ids);
  } else {
    q = q.where('lead_id', 'like', likePrefix(search.leadIdPrefix));
  }
  const rows = await q.orderBy('lead_id').limit(SEARCH_LIMIT).execute();
  const checks = await checksOf(
    db,
    workspaceId,
    rows.map((r) => r.lead_id),
  );
  return rows.map((r) =>
    toLeadSummary(
      { ...r, fold: null, memory: null } as Selectable<LeadLifecycleTable>,
      checks.get(r.lead_id) ?? [],
      now,
    ),
  );
}
