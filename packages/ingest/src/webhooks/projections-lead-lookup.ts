/**
 * The production LeadLookup: the projections' `lead_identities` read model (findLeadByIdentity).
 * A lead id named in a booking's tracking fields counts only if the lead's stream exists. A lead's
 * linked appointments come from the core projection's `appointments` (lead_id, whatever matched it).
 */
import type { EventStore } from '@recon/eventstore';
import { leadStreamName } from '@recon/domain';
import { findLeadByIdentity, type ProjectionsDatabase } from '@recon/projections';
import type { Kysely } from 'kysely';
import { asProvider } from '../providers/registry';
import { createBatchedEmailLookup } from './batched-email-lookup';
import type { LeadLookup } from './lead-lookup';

export function projectionsLeadLookup(db: Kysely<ProjectionsDatabase>, store: EventStore): LeadLookup {
  const byEmail = createBatchedEmailLookup(db);
  return {
    // Every webhook asks this: concurrent asks share one round trip (see batched-email-lookup).
    findByEmailHash: byEmail,
    async linkedAppointments(workspaceId, leadId) {
      const rows = await db
        .selectFrom('appointments')
        .select(['provider', 'provider_appointment_id'])
        .where('workspace_id', '=', workspaceId)
        .where('lead_id', '=', leadId)
        .execute();
      return rows.flatMap((r) => {
        const provider = asProvider(r.provider);
        return provider === null ? [] : [{ provider, id: r.provider_appointment_id }];
      });
    },
    async linkedAppointmentsOfLeads(workspaceId, leadIds) {
      const out = new Map<string, { provider: NonNullable<ReturnType<typeof asProvider>>; id: string }[]>();
      for (const id of leadIds) out.set(id, []);
      if (leadIds.length === 0) return out;
      const rows = await db
        .selectFrom('appointments')
        .select(['lead_id', 'provider', 'provider_appointment_id'])
        .where('workspace_id', '=', workspaceId)
        .where('lead_id', 'in', [...leadIds])
        .execute();
      for (const r of rows) {
        const provider = asProvider(r.provider);
        if (provider !== null && r.lead_id !== null)
          out.get(r.lead_id)?.push({ provider, id: r.provider_appointment_id });
      }
      return out;
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
