/**
 * The production LeadLookup: the projections' `lead_identities` read model (findLeadByIdentity).
 * A lead id named in a booking's tracking fields counts only if the lead's stream exists.
 */
import type { EventStore } from '@recon/eventstore';
import { leadStreamName } from '@recon/domain';
import { findLeadByIdentity, type ProjectionsDatabase } from '@recon/projections';
import { sql, type Kysely } from 'kysely';
import type { LeadLookup } from './lead-lookup';

export function projectionsLeadLookup(db: Kysely<ProjectionsDatabase>, store: EventStore): LeadLookup {
  return {
    // One round trip for "primary, else alternate" (same order and tie-break as findLeadByIdentity):
    // this runs on every webhook, so it is worth not making it two.
    async findByEmailHash(workspaceId, emailHash) {
      const { rows } = await sql<{ lead_id: string; is_primary: boolean }>`
        SELECT lead_id, email_hash IS NOT DISTINCT FROM ${emailHash} AS is_primary FROM lead_identities
        WHERE workspace_id = ${workspaceId} AND (email_hash = ${emailHash} OR alternate_email_hashes @> ARRAY[${emailHash}]::text[])
        ORDER BY is_primary DESC, lead_id LIMIT 1`.execute(db);
      const row = rows[0];
      return row === undefined ? null : { leadId: row.lead_id, matchedBy: row.is_primary ? 'email' : 'alternate_email' };
    },
    async findLead(workspaceId, identity) {
      switch (identity.kind) {
        case 'email':
        case 'alternate_email': {
          const match = await findLeadByIdentity(db, workspaceId, { emailHashes: [identity.emailHash] });
          return match !== null && match.matchedBy === identity.kind ? match.leadId : null;
        }
        case 'ghl_contact':
          return (await findLeadByIdentity(db, workspaceId, { ghlContactId: identity.ghlContactId }))?.leadId ?? null;
        case 'lead_id': {
          const events = await store.readStream(leadStreamName(workspaceId, identity.leadId), { maxCount: 1 });
          return events.length > 0 ? identity.leadId : null;
        }
        default: {
          const never: never = identity;
          return never;
        }
      }
    },
  };
}
