/**
 * Test support: a LeadLookup that folds the lead streams straight from the event store on each
 * call. Slow but exact; used where the projections' lead_identities runner is not started.
 */
import { LeadEvent } from '@recon/domain';
import { START, type EventStore } from '@recon/eventstore';
import type { LeadIdentity, LeadLookup } from '@recon/ingest';

interface Identity {
  workspaceId: string;
  leadId: string;
  emailHash: string | null;
  alternates: readonly string[];
  ghlContactId: string | null;
}

async function identities(store: EventStore): Promise<Map<string, Identity>> {
  const leads = new Map<string, Identity>();
  let from = START;
  for (;;) {
    const page = await store.readAll(from, 1000);
    for (const recorded of page.events) {
      if (!recorded.streamName.startsWith('lead-')) continue;
      const parsed = LeadEvent.safeParse({ type: recorded.type, data: recorded.data });
      if (!parsed.success) continue;
      const e = parsed.data;
      if (e.type === 'LeadRegistered' || e.type === 'LeadContactChanged') {
        leads.set(recorded.streamName, {
          workspaceId: e.data.workspaceId,
          leadId: e.data.leadId,
          emailHash: e.data.emailHash,
          alternates: e.data.alternateEmailHashes,
          ghlContactId: e.data.ghlContactId,
        });
      }
    }
    if (page.events.length === 0) return leads;
    from = page.next;
  }
}

export function scanLeadLookup(store: EventStore): LeadLookup {
  return {
    async findLead(workspaceId: string, identity: LeadIdentity) {
      for (const lead of (await identities(store)).values()) {
        if (lead.workspaceId !== workspaceId) continue;
        const hit =
          (identity.kind === 'email' && lead.emailHash === identity.emailHash) ||
          (identity.kind === 'alternate_email' && lead.alternates.includes(identity.emailHash)) ||
          (identity.kind === 'ghl_contact' && lead.ghlContactId === identity.ghlContactId) ||
          (identity.kind === 'lead_id' && lead.leadId === identity.leadId);
        if (hit) return lead.leadId;
      }
      return null;
    },
  };
}
