/**
 * Finds the lead a booking belongs to, for any provider that books by email: the invitee's email
 * (as a lead's primary email, then as an alternate), then each guest's email the same way, then a
 * lead id named by a booking token in utm_content / utm_term (`recon:<leadId>.<mac>`, only when its
 * MAC verifies for the workspace — see booking-token-gate.ts — and that lead exists); a rescheduled
 * booking takes its predecessor's lead before any of these. Providers that match otherwise (GHL by
 * contact id) do so in their own folder with the same MatchDeps.
 * Emails are hashed before any lookup, once per delivery (`hashEmailHints`: the same hashes go into
 * the match keys recorded with the booking); they are never stored or logged.
 */
import type { Kysely } from 'kysely';
import type { WorkspacesDatabase } from '@recon/workspaces';
import type { EventStore } from '@recon/eventstore';
import { leadStreamName, type MatchedBy, type Provider } from '@recon/domain';
import type { AppointmentMatchKeys } from '../appointments/appointment-decider';
import { normalizeEmail, type EmailHasher } from '@recon/workspaces';
import type { BookingTokenGate } from './booking-token-gate';
import type { LeadLookup } from './lead-lookup';
import { predecessorLead } from './reschedule-chain';

export interface LeadMatch {
  readonly leadId: string;
  readonly matchedBy: MatchedBy;
}

export interface MatchDeps {
  readonly leadLookup: LeadLookup;
  readonly hashEmail: EmailHasher;
  readonly store: EventStore;
  /** Verifies the booking tokens of a booking's UTM fields (only signed ones name a lead). */
  readonly bookingTokens: BookingTokenGate;
  /** Where webhook receipts are recorded (deliveries/webhook-receipts.ts); absent: none are. */
  readonly db?: Kysely<WorkspacesDatabase>;
}

async function byEmail(
  deps: MatchDeps,
  workspaceId: string,
  emailHash: string | null,
  primary: MatchedBy,
): Promise<LeadMatch | null> {
  if (emailHash === null) return null;
  if (deps.leadLookup.findByEmailHash !== undefined) {
    const found = await deps.leadLookup.findByEmailHash(workspaceId, emailHash);
    // An email on two leads gives the booking to neither: it stays unmatched (reason `ambiguous`).
    if (found === null || 'ambiguous' in found) return null;
    return { leadId: found.leadId, matchedBy: primary === 'email' ? found.matchedBy : primary };
  }
  const asPrimary = await deps.leadLookup.findLead(workspaceId, { kind: 'email', emailHash });
  if (asPrimary !== null) return { leadId: asPrimary, matchedBy: primary };
  const asAlternate = await deps.leadLookup.findLead(workspaceId, { kind: 'alternate_email', emailHash });
  return asAlternate === null
    ? null
    : { leadId: asAlternate, matchedBy: primary === 'email' ? 'alternate_email' : primary };
}

async function leadExists(deps: MatchDeps, workspaceId: string, leadId: string): Promise<boolean> {
  const events = await deps.store.readStream(leadStreamName(workspaceId, leadId), { maxCount: 1 });
  return events.length > 0;
}

/** The booking's email, guest and UTM hints (as Calendly's, Cal.com's): any provider that books by email. */
export interface EmailMatchHints {
  /** The invitee's email hash; null when the email is blank. */
  readonly inviteeEmailHash: string | null;
  /** Each guest's email hash, in order; null for a blank one. */
  readonly guestEmailHashes: readonly (string | null)[];
  /** Lead ids of the booking's *verified* tokens (`BookingTokenGate.leadIds`), never raw UTM values. */
  readonly utmLeadIds: readonly string[];
}

/** A booking's emails hashed once: the invitee's (null when blank) and every guest's (blank ones too). */
export interface HashedBookingEmails {
  readonly inviteeEmailHash: string | null;
  /** Every guest's hash, blank ones included (the match keys record the first 50 as they are). */
  readonly guestEmailHashes: readonly string[];
  /** The guests' hashes for matching: null for a blank email (it matches nothing). */
  readonly guestMatchHashes: readonly (string | null)[];
}

export function hashBookingEmails(
  hashEmail: EmailHasher,
  workspaceId: string,
  inviteeEmail: string,
  guestEmails: readonly string[],
): HashedBookingEmails {
  const hash = (email: string) => hashEmail(workspaceId, normalizeEmail(email));
  const guestEmailHashes = guestEmails.map(hash);
  return {
    inviteeEmailHash: inviteeEmail.trim() === '' ? null : hash(inviteeEmail),
    guestEmailHashes,
    guestMatchHashes: guestEmailHashes.map((h, i) => ((guestEmails[i] ?? '').trim() === '' ? null : h)),
  };
}

/** The match keys recorded with a booking that books by email (at most 50 guests, 10 token leads). */
export function emailMatchKeys(hashed: HashedBookingEmails, utmLeadIds: readonly string[]): AppointmentMatchKeys {
  return {
    inviteeEmailHash: hashed.inviteeEmailHash,
    guestEmailHashes: hashed.guestEmailHashes.slice(0, 50),
    ghlContactId: null,
    utmLeadIds: utmLeadIds.slice(0, 10),
  };
}

/**
 * Matching by email hints for any provider: the predecessor's lead for a replacing booking
 * (`rescheduledFrom`, read on the provider's own streams), then the invitee's email (primary, then
 * alternate), the event guests, and the verified booking tokens' lead ids (existing leads only).
 */
export async function matchEmailHintsLead(
  deps: MatchDeps,
  workspaceId: string,
  hints: EmailMatchHints,
  options: { readonly provider: Provider; readonly rescheduledFrom?: string | null },
): Promise<LeadMatch | null> {
  const rescheduledFrom = options.rescheduledFrom ?? null;
  if (rescheduledFrom !== null) {
    const inherited = await predecessorLead(deps.store, workspaceId, options.provider, rescheduledFrom);
    if (inherited !== null) return { leadId: inherited, matchedBy: 'reschedule' };
  }
  const invitee = await byEmail(deps, workspaceId, hints.inviteeEmailHash, 'email');
  if (invitee !== null) return invitee;
  for (const guest of hints.guestEmailHashes) {
    const match = await byEmail(deps, workspaceId, guest, 'event_guest');
    if (match !== null) return match;
  }
  for (const leadId of hints.utmLeadIds) {
    if (await leadExists(deps, workspaceId, leadId)) return { leadId, matchedBy: 'utm' };
  }
  return null;
}
