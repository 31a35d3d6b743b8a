/**
 * Test and bench support: a LeadLookup that folds lead identities from the event store's lead
 * streams (cached, refreshed from where it stopped on each call), and each lead's linked
 * appointments from the appointment events naming it. Exact, no projections needed: each call first
 * reads up to the store's last committed event, so a lead appended just before is found even while
 * the store's global reads still wait for an older transaction elsewhere on the server (bounded:
 * after CATCH_UP_LIMIT_MS it answers from what is visible).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LeadEvent } from '@recon/domain';
import { START, type EventStore, type Position } from '@recon/eventstore';
import { asProvider } from '../../providers/registry';
import type { LeadLookup, LinkedAppointment } from '../../webhooks/lead-lookup';

const CATCH_UP_LIMIT_MS = 15_000;
const CATCH_UP_POLL_MS = 10;

interface Identity {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly emailHash: string | null;
  readonly alternates: readonly string[];
  readonly ghlContactId: string | null;
}

export function scanLeadLookup(store: EventStore): LeadLookup {
  const leads = new Map<string, Identity>();
  /** workspace \u0000 lead → appointment stream keys linked to it (any event naming the lead). */
  const linked = new Map<string, Map<string, LinkedAppointment>>();
  let from: Position = START;
  // Coalesced: callers that arrive while a scan runs share the next one (started after the running
  // one ends, so it still reads up to their own call), instead of each reading the same pages.
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  function refresh(): Promise<void> {
    if (running === null) {
      running = scan().finally(() => {
        running = null;
      });
      return running;
    }
    if (next === null) {
      const after = running.catch(() => undefined);
      next = after.then(() => {
        next = null;
        return refresh();
      });
    }
    return next;
  }
  async function scan(): Promise<void> {
    // `readAll` stops at the fence (the oldest open transaction on the server): read until it has
    // passed everything committed before this call, not merely until it shows nothing more.
    const target = await store.lastCommittedPosition();
    const deadline = Date.now() + CATCH_UP_LIMIT_MS;
    for (;;) {
      const page = await store.readAll(from, 2000);
      for (const recorded of page.events) {
        if (recorded.streamName.startsWith('appointment-')) {
          const d = recorded.data as {
            workspaceId?: unknown;
            leadId?: unknown;
            provider?: unknown;
            providerAppointmentId?: unknown;
          };
          const provider = typeof d.provider === 'string' ? asProvider(d.provider) : null;
          if (
            typeof d.leadId === 'string' &&
            typeof d.workspaceId === 'string' &&
            provider !== null &&
            typeof d.providerAppointmentId === 'string'
          ) {
            const key = `${d.workspaceId}\u0000${d.leadId}`;
            const set = linked.get(key) ?? new Map<string, LinkedAppointment>();
            set.set(`${provider}:${d.providerAppointmentId}`, { provider, id: d.providerAppointmentId });
            linked.set(key, set);
          }
          continue;
        }
        if (!recorded.streamName.startsWith('lead-')) continue;
        const parsed = LeadEvent.safeParse({ type: recorded.type, data: recorded.data });
        if (!parsed.success) continue;
        const e = parsed.data;
        if (e.type === 'LeadRegistered' || e.type === 'LeadContactChanged') {
          const d = e.data;
          leads.set(recorded.streamName, {
            workspaceId: d.workspaceId,
            leadId: d.leadId,
            emailHash: d.emailHash,
            alternates: d.alternateEmailHashes,
            ghlContactId: d.ghlContactId,
          });
        }
        // As lead_identities: an erased lead matches nothing until a later contact change.
        if (e.type === 'LeadContactErased') leads.delete(recorded.streamName);
      }
      if (page.events.length > 0) {
        from = page.next;
        continue;
      }
      if (store.comparePositions(from, target) >= 0 || Date.now() > deadline) return;
      await sleep(CATCH_UP_POLL_MS);
    }
  }
  return {
    async linkedAppointments(workspaceId, leadId) {
      await refresh();
      return [...(linked.get(`${workspaceId}\u0000${leadId}`)?.values() ?? [])];
    },
    async linkedAppointmentsOfLeads(workspaceId, leadIds) {
      await refresh();
      return new Map(leadIds.map((id) => [id, [...(linked.get(`${workspaceId}\u0000${id}`)?.values() ?? [])]]));
    },
    async findByEmailHash(workspaceId, emailHash) {
      await refresh();
      const inWs = [...leads.values()].filter((l) => l.workspaceId === workspaceId);
      for (const [matchedBy, hit] of [
        ['email', (l: Identity) => l.emailHash === emailHash],
        ['alternate_email', (l: Identity) => l.alternates.includes(emailHash)],
      ] as const) {
        const ids = [...new Set(inWs.filter(hit).map((l) => l.leadId))].sort();
        if (ids.length === 1) return { leadId: ids[0] as string, matchedBy };
        if (ids.length > 1) return { ambiguous: ids };
      }
      return null;
    },
    async findLead(workspaceId, identity) {
      await refresh();
      for (const lead of leads.values()) {
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
