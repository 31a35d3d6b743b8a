/** A GHL booking's lead: the lead registered with the appointment's contact id (GHL has no email matching). */
import type { GhlMatchHints } from '@recon/domain';
import type { LeadMatch, MatchDeps } from '../../webhooks/match-lead';

/** Throws only when the lead lookup's store is unreachable (the caller answers "retry later"). */
export async function matchGhlLead(
  deps: MatchDeps,
  workspaceId: string,
  hints: GhlMatchHints,
): Promise<LeadMatch | null> {
  if (hints.contactId === null || hints.contactId === '') return null;
  const leadId = await deps.leadLookup.findLead(workspaceId, { kind: 'ghl_contact', ghlContactId: hints.contactId });
  return leadId === null ? null : { leadId, matchedBy: 'ghl_contact' };
}
