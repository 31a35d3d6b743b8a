/**
 * A verified GHL delivery → appointment events. Appointment* types are mapped by the domain and
 * matched by contact id; other types answer "ignored" (nothing appended). GHL signs every delivery
 * with one global key, so the location is the only thing tying it to this workspace: an
 * appointment delivery without `locationId` (GHL_LOCATION_MISSING), or for another location, top
 * level or `appointment.locationId` (GHL_LOCATION_MISMATCH), is refused with a final 4xx and
 * appends nothing.
 */
import { mapGhlWebhook, parseGhlWebhook } from '@recon/domain';
import { observeAppointment } from '../../appointments/observe-appointment';
import { recordWebhookReceipt } from '../../deliveries/webhook-receipts';
import type { IngestResult } from '../../webhooks/ingest-result';
import type { MatchDeps } from '../../webhooks/match-lead';
import { matchGhlLead } from './match-ghl-lead';
import { parseJson } from '../../webhooks/raw-body';

export async function ingestGhlDelivery(
  deps: MatchDeps & { readonly clock: () => Date },
  target: { workspaceId: string; locationId: string },
  rawBody: Buffer,
): Promise<IngestResult> {
  const json = parseJson(rawBody);
  if (!json.ok) return { ok: false, code: 'MALFORMED_JSON' };
  const parsed = parseGhlWebhook(json.value);
  if (!parsed.ok) return parsed;
  if (parsed.value.kind === 'ignored')
    return { ok: true, answer: { status: 'ignored', events: 0, matched: false, position: null } };
  const { webhook } = parsed.value;
  const nested = webhook.appointment.locationId;
  if (webhook.locationId !== target.locationId || (nested != null && nested !== target.locationId)) {
    return { ok: false, code: 'GHL_LOCATION_MISMATCH', issues: ['locationId: mismatch'] };
  }
  const mapped = mapGhlWebhook(webhook, {
    workspaceId: target.workspaceId,
    source: 'webhook',
    observedAt: deps.clock().toISOString(),
    timeZone: null,
  });
  if (!mapped.ok) return mapped;
  let match;
  try {
    match = await matchGhlLead(deps, target.workspaceId, mapped.value.hints);
  } catch {
    return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
  }
  const observation =
    match === null
      ? mapped.value.observation
      : { ...mapped.value.observation, leadId: match.leadId, matchedBy: match.matchedBy };
  const contactId = mapped.value.hints.contactId;
  const matchKeys = {
    inviteeEmailHash: null,
    guestEmailHashes: [],
    ghlContactId: contactId === null || contactId === '' ? null : contactId.slice(0, 100),
    utmLeadIds: [],
  };
  const result = await observeAppointment(
    deps.store,
    { observation, matchKeys },
    { assumeNewStream: webhook.type === 'AppointmentCreate' },
  );
  if (!result.ok) return { ok: false, code: result.code };
  const receipt = await recordWebhookReceipt(deps.db, observation, deps.clock());
  if (!receipt.ok) return receipt;
  const appended = result.appended.length;
  return {
    ok: true,
    answer: {
      status: appended > 0 ? 'accepted' : 'duplicate',
      events: appended,
      matched: match !== null,
      position: result.position,
    },
  };
}
