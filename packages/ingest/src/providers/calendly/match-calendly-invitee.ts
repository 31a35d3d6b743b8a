/**
 * A mapped Calendly invitee (from a webhook delivery or the window scan) → the observation with its
 * lead, and the match keys recorded with it. Only a booking token signed for this workspace names a
 * lead (the others are counted and ignored); a new invitee of a reschedule first inherits the lead of
 * the invitee it replaces, then the shared email matching (match-lead.ts). Emails are hashed first,
 * once: the same hashes serve the lookups and the match keys.
 */
import type { CalendlyMatchHints, MappedObservation, ObserveProviderAppointment } from '@recon/domain';
import type { AppointmentMatchKeys } from '../../appointments/appointment-decider';
import { emailMatchKeys, hashBookingEmails, matchEmailHintsLead, type MatchDeps } from '../../webhooks/match-lead';

export type MatchedCalendlyInvitee =
  | {
      readonly ok: true;
      readonly observation: ObserveProviderAppointment;
      readonly matchKeys: AppointmentMatchKeys;
      readonly matched: boolean;
    }
  | { readonly ok: false; readonly code: 'EVENT_STORE_UNAVAILABLE' };

export async function matchCalendlyInvitee(
  deps: MatchDeps,
  workspaceId: string,
  mapped: MappedObservation<CalendlyMatchHints>,
): Promise<MatchedCalendlyInvitee> {
  const { hints } = mapped;
  const utmLeadIds = deps.bookingTokens.leadIds(workspaceId, 'calendly', hints.utmTokens);
  const hashed = hashBookingEmails(deps.hashEmail, workspaceId, hints.inviteeEmail, hints.guestEmails);
  let match;
  try {
    match = await matchEmailHintsLead(
      deps,
      workspaceId,
      { inviteeEmailHash: hashed.inviteeEmailHash, guestEmailHashes: hashed.guestMatchHashes, utmLeadIds },
      { provider: 'calendly', rescheduledFrom: mapped.observation.rescheduledFrom },
    );
  } catch {
    return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
  }
  const observation =
    match === null ? mapped.observation : { ...mapped.observation, leadId: match.leadId, matchedBy: match.matchedBy };
  const matchKeys = emailMatchKeys(hashed, utmLeadIds);
  return { ok: true, observation, matchKeys, matched: match !== null };
}
