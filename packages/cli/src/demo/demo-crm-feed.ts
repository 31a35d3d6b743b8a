/**
 * What the demo's CRM tells recon, through the operator key: the leads (`POST …/leads:batch`, email,
 * GHL contact, sentiment with the CRM's own classification time) and their message activity
 * (`POST …/leads/:leadId/messages`: direction and time only, never a body).
 */
import { demoCall, inParallel } from './demo-http';
import type { DemoLead } from './demo-world-types';

export interface CrmTarget {
  readonly url: string;
  readonly workspaceId: string;
  readonly operatorKey: string;
}

const BATCH = 1000;

/** `sentimentAt` overrides each lead's sentiment (label and time): a CRM relabelling leads. */
export async function feedLeads(
  target: CrmTarget,
  leads: readonly DemoLead[],
  relabel?: { readonly label: string; readonly atMs: number },
): Promise<void> {
  for (let i = 0; i < leads.length; i += BATCH) {
    const items = leads.slice(i, i + BATCH).map((l) => {
      const sentiment = relabel ?? (l.sentiment && { label: l.sentiment.label, atMs: l.sentiment.classifiedAtMs });
      return {
        leadId: l.leadId,
        email: l.email,
        ...(l.ghlContactId !== null ? { ghlContactId: l.ghlContactId } : {}),
        ...(sentiment
          ? { sentiment: { label: sentiment.label, classifiedAt: new Date(sentiment.atMs).toISOString() } }
          : {}),
      };
    });
    await demoCall(`${target.url}/v1/workspaces/${target.workspaceId}/leads:batch`, 'POST', [200, 207], {
      token: target.operatorKey,
      body: { leads: items },
    });
  }
}

/** Posts every lead's messages, oldest first per lead; answers the count per direction. */
export async function feedMessages(
  target: CrmTarget,
  leads: readonly DemoLead[],
): Promise<{ inbound: number; outbound: number }> {
  const counts = { inbound: 0, outbound: 0 };
  await inParallel(
    leads.filter((l) => l.messages.length > 0),
    8,
    async (lead) => {
      for (const m of lead.messages) {
        await demoCall(
          `${target.url}/v1/workspaces/${target.workspaceId}/leads/${encodeURIComponent(lead.leadId)}/messages`,
          'POST',
          [200],
          { token: target.operatorKey, body: { direction: m.direction, at: new Date(m.atMs).toISOString() } },
        );
        counts[m.direction] += 1;
      }
    },
  );
  return counts;
}
