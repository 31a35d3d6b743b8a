/**
 * A verified Calendly delivery → appointment events. Ignored event types answer "ignored";
 * invitee events are mapped by the domain, matched to a lead (or kept unmatched: never dropped),
 * then decided and appended. A duplicate delivery decides nothing.
 */
import { mapCalendlyDelivery, parseCalendlyWebhook } from '@recon/domain';
import { observeAppointment } from '../../appointments/observe-appointment';
import { recordWebhookReceipt } from '../../deliveries/webhook-receipts';
import type { IngestResult } from '../../webhooks/ingest-result';
import type { MatchDeps } from '../../webhooks/match-lead';
import { linkSuccessorsOf } from '../../webhooks/reschedule-chain';
import { parseJson } from '../../webhooks/raw-body';
import { matchCalendlyInvitee } from './match-calendly-invitee';

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
  const matched = await matchCalendlyInvitee(deps, workspaceId, mapped.value);
  if (!matched.ok) return matched;
  const { observation, matchKeys } = matched;
  // A creation is almost always a new stream; a retried delivery falls back to read-and-decide.
  const assumeNewStream = parsed.value.delivery.event === 'invitee.created';
  const result = await observeAppointment(deps.store, { observation, matchKeys }, { assumeNewStream });
  if (!result.ok) return { ok: false, code: result.code };
  const receipt = await recordWebhookReceipt(deps.db, observation, deps.clock());
  if (!receipt.ok) return receipt;
  const chain = await linkSuccessorsOf(deps.store, observation, result.stateBefore);
  if (!chain.ok) return { ok: false, code: chain.code };
  const appended = result.appended.length + chain.appended;
  return {
    ok: true,
    answer: {
      status: appended > 0 ? 'accepted' : 'duplicate',
      events: appended,
      matched: matched.matched,
      position: chain.position ?? result.position,
    },
  };
}
