/**
 * A verified Calendly delivery → appointment events. Ignored event types answer "ignored";
 * invitee events are mapped by the domain, matched to a lead (or kept unmatched: never dropped),
 * then decided and appended. A duplicate delivery decides nothing.
 */
import { mapCalendlyDelivery, parseCalendlyWebhook } from '@recon/domain';
import { normalizeEmail } from '@recon/workspaces';
import { observeAppointment } from '../../appointments/observe-appointment';
import type { IngestResult } from '../../webhooks/ingest-result';
import { matchCalendlyLead, type MatchDeps } from '../../webhooks/match-lead';
import { linkSuccessorsOf } from '../../webhooks/reschedule-chain';
import { parseJson } from '../../webhooks/raw-body';

export async function ingestCalendlyDelivery(
  deps: MatchDeps & { readonly clock: () => Date },
  workspaceId: string,
  rawBody: Buffer,
): Promise<IngestResult> {
  const json = parseJson(rawBody);
  if (!json.ok) return { ok: false, code: 'MALFORMED_JSON' };
  const parsed = parseCalendlyWebhook(json.value);
  if (!parsed.ok) return parsed;
  if (parsed.value.kind === 'ignored')
    return { ok: true, answer: { status: 'ignored', events: 0, matched: false, position: null } };
  const mapped = mapCalendlyDelivery(parsed.value.delivery, {
    workspaceId,
    source: 'webhook',
    observedAt: deps.clock().toISOString(),
  });
  if (!mapped.ok) return mapped;
  const { hints } = mapped.value;
  // Only a token signed for this workspace names a lead; the others are counted and ignored.
  const utmLeadIds = deps.bookingTokens.leadIds(workspaceId, 'calendly', hints.utmTokens);
  let match;
  try {
    match = await matchCalendlyLead(
      deps,
      workspaceId,
      { ...hints, utmLeadIds },
      mapped.value.observation.rescheduledFrom,
    );
  } catch {
    return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
  }
  const observation =
    match === null
      ? mapped.value.observation
      : { ...mapped.value.observation, leadId: match.leadId, matchedBy: match.matchedBy };
  const hash = (email: string) => deps.hashEmail(workspaceId, normalizeEmail(email));
  const matchKeys = {
    inviteeEmailHash: hints.inviteeEmail.trim() === '' ? null : hash(hints.inviteeEmail),
    guestEmailHashes: hints.guestEmails.slice(0, 50).map(hash),
    ghlContactId: null,
    utmLeadIds: utmLeadIds.slice(0, 10),
  };
  // A creation is almost always a new stream; a retried delivery falls back to read-and-decide.
  const assumeNewStream = parsed.value.delivery.event === 'invitee.created';
  const result = await observeAppointment(deps.store, { observation, matchKeys }, { assumeNewStream });
  if (!result.ok) return { ok: false, code: result.code };
  const chain = await linkSuccessorsOf(deps.store, observation, result.stateBefore);
  if (!chain.ok) return { ok: false, code: chain.code };
  const appended = result.appended.length + chain.appended;
  return {
    ok: true,
    answer: {
      status: appended > 0 ? 'accepted' : 'duplicate',
      events: appended,
      matched: match !== null,
      position: chain.position ?? result.position,
    },
  };
}
