/**
 * Asks Cal.com about one lead: `GET /v2/bookings?attendeeEmail=` for the primary and every
 * alternate email (no status filter, so cancelled bookings are seen too). Cal.com matches the email
 * exactly and case-sensitively as the booker typed it, so each address is asked as the CRM holds it
 * and normalized. A booking's attendance is the lead's attendee row (`absent`). Bookings recon holds
 * for the lead that the email lookup did not return (matched by guest, UTM, operator; the CRM email
 * changed) are re-read by uid and followed down their reschedule chain (`rescheduledToUid`).
 * Emails are PII: used for the lookup only, never stored or logged.
 */
import { mapCalcomApiBooking, type CalcomApiBooking, type CalcomMatchHints, type MatchedBy } from '@recon/domain';
import { normalizeEmail, type EmailHasher } from '@recon/workspaces';
import type { AppointmentMatchKeys } from '../../appointments/appointment-decider';
import {
  inRange,
  outcomeOf,
  type CheckContext,
  type FoundObservation,
  type ProviderCheckResult,
} from '../../reconcile/provider-check';
import type { CalcomClient } from './calcom-client';

export interface CalcomLeadFacts {
  readonly email: string | null;
  readonly alternateEmails: readonly string[];
  /** Booking uids recon holds for this lead. */
  readonly knownBookings: readonly string[];
  readonly hashEmail: EmailHasher;
  /** The lead ids of the booking tokens that verify for this workspace (the others are counted and dropped). */
  readonly utmLeadIds: (tokens: readonly string[]) => string[];
  /** True when the email (hash) is on two or more leads: its bookings stay unmatched (`ambiguous`). */
  readonly ambiguous: (emailHash: string) => Promise<boolean>;
}

const MAX_CHAIN = 20;

/** `utmLeadIds`: the lead ids of the booking's verified tokens, never `hints.utmTokens` as they came. */
export function calcomMatchKeys(
  hints: CalcomMatchHints,
  hash: (email: string) => string,
  utmLeadIds: readonly string[],
): AppointmentMatchKeys {
  return {
    inviteeEmailHash: hints.attendeeEmail.trim() === '' ? null : hash(hints.attendeeEmail),
    guestEmailHashes: hints.guestEmails.slice(0, 50).map(hash),
    ghlContactId: null,
    utmLeadIds: utmLeadIds.slice(0, 10),
  };
}

export async function checkCalcomLead(
  client: CalcomClient,
  ctx: CheckContext,
  lead: CalcomLeadFacts,
): Promise<ProviderCheckResult> {
  const raw = [lead.email, ...lead.alternateEmails].filter((e): e is string => e !== null && e.trim() !== '');
  const primary = lead.email && lead.email.trim() !== '' ? normalizeEmail(lead.email) : null;
  const normalized = [...new Set(raw.map(normalizeEmail))];
  const asked = [...new Set(raw.flatMap((e) => [e.trim(), normalizeEmail(e)]))];
  if (asked.length === 0 && lead.knownBookings.length === 0)
    return { provider: 'calcom', outcome: { kind: 'skipped', code: 'NO_EMAIL' }, observations: [] };
  const hash = (email: string) => lead.hashEmail(ctx.workspaceId, normalizeEmail(email));
  const isLead = (email: string) => normalized.includes(normalizeEmail(email));
  const mapCtx = { workspaceId: ctx.workspaceId, source: ctx.source, observedAt: ctx.observedAt, leadId: ctx.leadId };

  const bookings = new Map<string, CalcomApiBooking>();
  for (const email of asked) {
    const r = await client.listBookings({
      attendeeEmail: email,
      ...(ctx.range?.from ? { afterStart: ctx.range.from } : {}),
    });
    if (!r.ok) return { provider: 'calcom', outcome: outcomeOf(0, r.code), observations: [] };
    for (const b of r.value) bookings.set(b.uid, b);
  }

  const observations: FoundObservation[] = [];
  let failure: string | null = null;
  for (const booking of bookings.values()) {
    if (!inRange(new Date(booking.start).toISOString(), ctx.range)) continue;
    const leadRow = (booking.attendees ?? []).find((a) => isLead(a.email));
    if (leadRow === undefined) continue;
    const mapped = mapCalcomApiBooking(booking, isLead, mapCtx);
    if (!mapped.ok) {
      failure ??= mapped.code;
      continue;
    }
    if (mapped.value === null) continue;
    const { observation, hints } = mapped.value;
    const matchedBy: MatchedBy = normalizeEmail(leadRow.email) === primary ? 'email' : 'alternate_email';
    // An email on two leads gives the booking to neither, and the check proves nothing for this lead.
    const shared = await lead.ambiguous(hash(leadRow.email));
    if (shared) failure ??= 'EMAIL_ON_SEVERAL_LEADS';
    observations.push({
      observation: shared ? { ...observation, leadId: null } : { ...observation, matchedBy },
      matchKeys: calcomMatchKeys(hints, hash, lead.utmLeadIds(hints.utmTokens)),
    });
  }
  if (failure === null) failure = await followKnownBookings(client, ctx, lead, isLead, hash, observations);
  const own = observations.filter((o) => o.observation.leadId === ctx.leadId).length;
  return { provider: 'calcom', outcome: outcomeOf(own, failure), observations };
}

/** Re-reads known bookings the email lookup missed and follows each one's `rescheduledToUid`. Returns a failure code or null. */
async function followKnownBookings(
  client: CalcomClient,
  ctx: CheckContext,
  lead: Pick<CalcomLeadFacts, 'knownBookings' | 'utmLeadIds'>,
  isLead: (email: string) => boolean,
  hash: (email: string) => string,
  observations: FoundObservation[],
): Promise<string | null> {
  const known = lead.knownBookings;
  const seen = new Set(observations.map((o) => o.observation.providerAppointmentId));
  const queue = known.filter((uid) => !seen.has(uid));
  const mapCtx = { workspaceId: ctx.workspaceId, source: ctx.source, observedAt: ctx.observedAt, leadId: ctx.leadId };
  for (let hops = 0; queue.length > 0 && hops < MAX_CHAIN * Math.max(1, known.length); hops++) {
    const uid = queue.shift() as string;
    if (seen.has(uid)) continue;
    seen.add(uid);
    const r = await client.listBookings({ bookingUid: uid });
    if (!r.ok) return r.code;
    const booking = r.value.find((b) => b.uid === uid);
    if (booking === undefined || !inRange(new Date(booking.start).toISOString(), ctx.range)) continue;
    const mapped = mapCalcomApiBooking(booking, isLead, mapCtx);
    if (!mapped.ok) return mapped.code;
    if (mapped.value === null) continue;
    const { observation, hints } = mapped.value;
    observations.push({
      observation: { ...observation, matchedBy: observation.rescheduledFrom !== null ? 'reschedule' : 'lead_id' },
      matchKeys: calcomMatchKeys(hints, hash, lead.utmLeadIds(hints.utmTokens)),
    });
    if (observation.rescheduledTo !== null && !seen.has(observation.rescheduledTo))
      queue.push(observation.rescheduledTo);
  }
  return null;
}
