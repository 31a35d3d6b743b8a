/**
 * One Calendly invitee read from the API (window scan, successor fetch) into its appointment stream:
 * matched to its lead like a webhook delivery (booking token, the predecessor's lead, emails),
 * observed (decide + append, idempotent), then its reschedule successors linked.
 */
import type { CalendlyMatchHints, MappedObservation } from '@recon/domain';
import { observeAppointment } from '../../appointments/observe-appointment';
import type { ReconcileDeps } from '../../reconcile/reconcile-deps';
import { linkSuccessorsOf } from '../../webhooks/reschedule-chain';
import { matchCalendlyInvitee } from './match-calendly-invitee';

export async function observeCalendlyInvitee(
  deps: ReconcileDeps,
  workspaceId: string,
  mapped: MappedObservation<CalendlyMatchHints>,
): Promise<{ ok: true; appended: number } | { ok: false; code: string }> {
  const matched = await matchCalendlyInvitee(deps, workspaceId, mapped);
  if (!matched.ok) return matched;
  const { observation, matchKeys } = matched;
  const r = await observeAppointment(deps.store, { observation, matchKeys });
  if (!r.ok) return { ok: false, code: r.code };
  const chain = await linkSuccessorsOf(deps.store, observation, r.stateBefore);
  if (!chain.ok) return { ok: false, code: chain.code };
  return { ok: true, appended: r.appended.length + chain.appended };
}
