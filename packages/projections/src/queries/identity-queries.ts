/** Identity lookups for ingest: which lead a booking belongs to, by keyed email hash or GHL contact. */
import { sql, type Kysely } from 'kysely';
import type { ProjectionsDatabase } from './projections-database';

export type IdentityMatch = {
  readonly leadId: string;
  readonly matchedBy: 'email' | 'alternate_email' | 'ghl_contact';
};

/**
 * Primary email first, then alternate emails, then the GHL contact id. Several leads sharing a key
 * resolve to the smallest lead id (deterministic); null when nothing matches.
 */
export async function findLeadByIdentity(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  keys: { readonly emailHashes?: readonly string[]; readonly ghlContactId?: string | null },
): Promise<IdentityMatch | null> {
  const hashes = [...new Set(keys.emailHashes ?? [])];
  for (const hash of hashes) {
    const primary = await db
      .selectFrom('lead_identities')
      .select('lead_id')
      .where('workspace_id', '=', workspaceId)
      .where('email_hash', '=', hash)
      .orderBy('lead_id')
      .limit(1)
      .executeTakeFirst();
    if (primary !== undefined) return { leadId: primary.lead_id, matchedBy: 'email' };
  }
  for (const hash of hashes) {
    const alt = await db
      .selectFrom('lead_identities')
      .select('lead_id')
      .where('workspace_id', '=', workspaceId)
      .where(sql<boolean>`alternate_email_hashes @> ARRAY[${hash}]::text[]`)
      .orderBy('lead_id')
      .limit(1)
      .executeTakeFirst();
    if (alt !== undefined) return { leadId: alt.lead_id, matchedBy: 'alternate_email' };
  }
  if (keys.ghlContactId !== undefined && keys.ghlContactId !== null) {
    const ghl = await db
      .selectFrom('lead_identities')
      .select('lead_id')
      .where('workspace_id', '=', workspaceId)
      .where('ghl_contact_id', '=', keys.ghlContactId)
      .orderBy('lead_id')
      .limit(1)
      .executeTakeFirst();
    if (ghl !== undefined) return { leadId: ghl.lead_id, matchedBy: 'ghl_contact' };
  }
  return null;
}
