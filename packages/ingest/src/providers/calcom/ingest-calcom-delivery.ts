/**
 * A verified Cal.com delivery → appointment events.
 * - Booking triggers are mapped by the domain. A reschedule yields two observations (Cal.com sends
 *   nothing for the old booking): the new booking inherits the old one's lead when recon holds it
 *   (else it is matched by the booker's email, guests, UTM), and the old booking is observed as
 *   canceled-by-reschedule for the same lead — the same chain a Calendly reschedule pair gives.
 *   When a later reschedule of the new booking arrived first (held unmatched), the lead is carried
 *   down that chain (`linkSuccessors`, matchedBy `reschedule`).
 * - `BOOKING_NO_SHOW_UPDATED` has no times: it applies to a booking recon holds, for the attendee
 *   that is the booking's lead (the recorded booker hash, else the lead's emails); otherwise it is
 *   acknowledged and ignored (the poller reads `absent` later).
 * - `MEETING_*`, `PING`, `BOOKING_REQUESTED`, … are acknowledged and ignored (no evidence).
 * A duplicate delivery decides nothing. Emails are hashed before any lookup, never stored or logged.
 */
import {
  appointmentStreamName,
  initialAppointmentState,
  mapCalcomAttendance,
  mapCalcomBookingDelivery,
  parseCalcomWebhook,
  type AppointmentState,
  type CalcomMatchHints,
  type CalcomNoShowDelivery,
  type ObserveProviderAppointment,
} from '@recon/domain';
import type { Position } from '@recon/eventstore';
import { normalizeEmail } from '@recon/workspaces';
import { evolveFromRecorded } from '../../appointments/appointment-decider';
import { observeAppointment } from '../../appointments/observe-appointment';
import { recordWebhookReceipt } from '../../deliveries/webhook-receipts';
import type { IngestResult } from '../../webhooks/ingest-result';
import {
  emailMatchKeys,
  hashBookingEmails,
  matchEmailHintsLead,
  type HashedBookingEmails,
  type LeadMatch,
  type MatchDeps,
} from '../../webhooks/match-lead';
import { parseJson } from '../../webhooks/raw-body';
import { linkSuccessors } from '../../webhooks/reschedule-chain';

type Deps = MatchDeps & { readonly clock: () => Date };

const IGNORED: IngestResult = { ok: true, answer: { status: 'ignored', events: 0, matched: false, position: null } };

/** A Cal.com booking stream as recon holds it, and the booker's email hash recorded with it. */
async function readBooking(
  deps: Deps,
  workspaceId: string,
  uid: string,
): Promise<{ state: AppointmentState; bookerHash: string | null }> {
  let state: AppointmentState = initialAppointmentState();
  let bookerHash: string | null = null;
  for (const e of await deps.store.readStream(appointmentStreamName(workspaceId, 'calcom', uid))) {
    state = evolveFromRecorded(state, e);
    const keys = e.data['matchKeys'] as { inviteeEmailHash?: unknown } | undefined;
    if (bookerHash === null && typeof keys?.inviteeEmailHash === 'string') bookerHash = keys.inviteeEmailHash;
  }
  return { state, bookerHash };
}

/**
 * The shared email matching (emails hashed first, once: `hashed`): a rescheduled booking inherits
 * the lead of the booking it replaces, else the booker's email, the guests, the lead ids of its
 * verified booking tokens (`utmLeadIds`: what `deps.bookingTokens.leadIds` kept of `hints.utmTokens`).
 */
function matchHints(
  deps: Deps,
  workspaceId: string,
  hashed: HashedBookingEmails,
  utmLeadIds: readonly string[],
  rescheduledFrom: string | null = null,
): Promise<LeadMatch | null> {
  const emailHints = {
    inviteeEmailHash: hashed.inviteeEmailHash,
    guestEmailHashes: hashed.guestMatchHashes,
    utmLeadIds,
  };
  return matchEmailHintsLead(deps, workspaceId, emailHints, { provider: 'calcom', rescheduledFrom });
}

async function ingestBooking(
  deps: Deps,
  workspaceId: string,
  current: ObserveProviderAppointment,
  replaced: ObserveProviderAppointment | null,
  hints: CalcomMatchHints,
  creates: boolean,
): Promise<IngestResult> {
  // Only a token signed for this workspace names a lead; the others are counted and ignored.
  const utmLeadIds = deps.bookingTokens.leadIds(workspaceId, 'calcom', hints.utmTokens);
  const hashed = hashBookingEmails(deps.hashEmail, workspaceId, hints.attendeeEmail, hints.guestEmails);
  let match: LeadMatch | null;
  try {
    match = await matchHints(deps, workspaceId, hashed, utmLeadIds, current.rescheduledFrom);
  } catch {
    return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
  }
  const matchKeys = emailMatchKeys(hashed, utmLeadIds);
  const withLead = (o: ObserveProviderAppointment) =>
    match === null ? o : { ...o, leadId: match.leadId, matchedBy: match.matchedBy };
  let events = 0;
  let position: Position | null = null;
  let leadOfCurrent: string | null = null;
  let successor: string | null = null;
  const steps = [
    { observation: withLead(current), assumeNewStream: creates },
    ...(replaced ? [{ observation: withLead(replaced), assumeNewStream: false }] : []),
  ];
  for (const [i, { observation, assumeNewStream }] of steps.entries()) {
    const r = await observeAppointment(deps.store, { observation, matchKeys }, { assumeNewStream });
    if (!r.ok) return { ok: false, code: r.code };
    const receipt = await recordWebhookReceipt(deps.db, observation, deps.clock());
    if (!receipt.ok) return receipt;
    events += r.appended.length;
    if (r.appended.length > 0) position = r.position;
    if (i === 0 && r.stateBefore.status !== 'absent') {
      leadOfCurrent = observation.leadId ?? r.stateBefore.leadId;
      successor = r.stateBefore.rescheduledTo;
    } else if (i === 0) {
      leadOfCurrent = observation.leadId;
    }
  }
  // A later reschedule of this booking may have arrived first (unmatched): carry the lead down it.
  if (leadOfCurrent !== null && successor !== null) {
    const chain = await linkSuccessors(deps.store, workspaceId, 'calcom', leadOfCurrent, successor, current.observedAt);
    if (!chain.ok) return { ok: false, code: chain.code };
    events += chain.appended;
    if (chain.position !== null) position = chain.position;
  }
  return {
    ok: true,
    answer: { status: events > 0 ? 'accepted' : 'duplicate', events, matched: match !== null, position },
  };
}

async function ingestNoShow(deps: Deps, workspaceId: string, delivery: CalcomNoShowDelivery): Promise<IngestResult> {
  const { bookingUid, attendees } = delivery.payload;
  const hash = (email: string) => deps.hashEmail(workspaceId, normalizeEmail(email));
  let mark: { noShow: boolean } | undefined;
  let booking: Awaited<ReturnType<typeof readBooking>>;
  try {
    booking = await readBooking(deps, workspaceId, bookingUid);
    if (booking.state.status === 'absent') return IGNORED;
    const hashes = attendees.map((a) => (a.email.trim() === '' ? null : hash(a.email)));
    mark = attendees.find((_, i) => hashes[i] !== null && hashes[i] === booking.bookerHash);
    const leadId = booking.state.leadId;
    for (const [i, a] of attendees.entries()) {
      if (mark !== undefined || leadId === null) break;
      const hashed = { inviteeEmailHash: hashes[i] ?? null, guestEmailHashes: [], guestMatchHashes: [] };
      const m = await matchHints(deps, workspaceId, hashed, []);
      if (m?.leadId === leadId) mark = a;
    }
  } catch {
    return { ok: false, code: 'EVENT_STORE_UNAVAILABLE' };
  }
  const { state } = booking;
  if (mark === undefined) return IGNORED;
  const ctx = { workspaceId, source: 'webhook' as const, observedAt: deps.clock().toISOString(), leadId: state.leadId };
  const mapped = mapCalcomAttendance(
    { bookingUid, noShow: mark.noShow, at: delivery.createdAt, startAt: state.startAt, endAt: state.endAt },
    ctx,
  );
  if (!mapped.ok) return mapped;
  const r = await observeAppointment(deps.store, { observation: mapped.value });
  if (!r.ok) return { ok: false, code: r.code };
  const events = r.appended.length;
  return {
    ok: true,
    answer: {
      status: events > 0 ? 'accepted' : 'duplicate',
      events,
      matched: state.leadId !== null,
      position: events > 0 ? r.position : null,
    },
  };
}

export async function ingestCalcomDelivery(deps: Deps, workspaceId: string, rawBody: Buffer): Promise<IngestResult> {
  const json = parseJson(rawBody);
  if (!json.ok) return { ok: false, code: 'MALFORMED_JSON' };
  const parsed = parseCalcomWebhook(json.value);
  if (!parsed.ok) return parsed;
  const webhook = parsed.value;
  if (webhook.kind === 'no_show') return ingestNoShow(deps, workspaceId, webhook.delivery);
  if (webhook.kind !== 'booking') return IGNORED;
  const mapped = mapCalcomBookingDelivery(webhook.delivery, {
    workspaceId,
    source: 'webhook',
    observedAt: deps.clock().toISOString(),
  });
  if (!mapped.ok) return mapped;
  if (mapped.value.kind === 'ignored') return IGNORED;
  const { current, replaced, hints } = mapped.value.value;
  return ingestBooking(
    deps,
    workspaceId,
    current,
    replaced,
    hints,
    webhook.delivery.triggerEvent === 'BOOKING_CREATED',
  );
}
