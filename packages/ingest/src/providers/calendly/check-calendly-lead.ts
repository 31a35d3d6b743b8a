/**
 * Asks Calendly about one lead: the organization's scheduled events with an invitee of the lead's
 * email, for the primary and every alternate email (`invitee_email`, no status filter so canceled
 * ones are seen too), then each event's invitees, keeping the invitees that are this lead (group
 * events hold other people). Emails are PII: used for the lookup only, never stored or logged.
 */
import { mapCalendlyInvitee, type CalendlyScheduledEvent, type MatchedBy } from '@recon/domain';
import { normalizeEmail, type EmailHasher } from '@recon/workspaces';
import type { CalendlyClient } from './calendly-client';
import type { ProviderCallResult } from '../provider-call-result';
import {
  inRange,
  outcomeOf,
  type CheckContext,
  type FoundObservation,
  type ProviderCheckResult,
} from '../../reconcile/provider-check';

export interface CalendlyLeadFacts {
  readonly email: string | null;
  readonly alternateEmails: readonly string[];
  /** Invitee URIs recon holds for this lead: re-read even when their email is no longer the lead's. */
  readonly knownInvitees?: readonly string[];
  /** True when the email (hash) is on two or more leads: its bookings are kept unmatched (`ambiguous`). */
  readonly ambiguous?: (emailHash: string) => Promise<boolean>;
  /** The lead ids of the booking tokens that verify for this workspace (the others are counted and dropped). */
  readonly utmLeadIds: (tokens: readonly string[]) => string[];
}

const MAX_CHAIN = 20;

/** The scheduled event of an invitee URI (`…/scheduled_events/<uuid>/invitees/<uuid>`). */
function eventOf(inviteeUri: string): string | null {
  const at = inviteeUri.indexOf('/invitees/');
  return at > 0 ? inviteeUri.slice(0, at) : null;
}

const MAX_PAGES = 20;

async function eventsFor(
  client: CalendlyClient,
  email: string,
  ctx: CheckContext,
): Promise<ProviderCallResult<CalendlyScheduledEvent[]>> {
  const out: CalendlyScheduledEvent[] = [];
  let token: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const filter = {
      inviteeEmail: email,
      ...(ctx.range?.from ? { minStartTime: ctx.range.from } : {}),
      ...(ctx.range?.to ? { maxStartTime: ctx.range.to } : {}),
    };
    const r = await client.listScheduledEventsPage(filter, token);
    if (!r.ok) return r;
    out.push(...r.value.items);
    token = r.value.nextPageToken;
    if (token === null) return { ok: true, value: out };
  }
  return { ok: false, code: 'PROVIDER_PAGINATION_LIMIT', attempts: 0 };
}

export async function checkCalendlyLead(
  client: CalendlyClient,
  hashEmail: EmailHasher,
  ctx: CheckContext,
  lead: CalendlyLeadFacts,
): Promise<ProviderCheckResult> {
  const primary = lead.email && lead.email.trim() !== '' ? normalizeEmail(lead.email) : null;
  const emails = [
    ...new Set(
      [primary, ...lead.alternateEmails.map(normalizeEmail)].filter((e): e is string => e !== null && e !== ''),
    ),
  ];
  const knownInvitees = lead.knownInvitees ?? [];
  if (emails.length === 0 && knownInvitees.length === 0)
    return { provider: 'calendly', outcome: { kind: 'skipped', code: 'NO_EMAIL' }, observations: [] };
  const events = new Map<string, CalendlyScheduledEvent>();
  for (const email of emails) {
    const r = await eventsFor(client, email, ctx);
    if (!r.ok) return { provider: 'calendly', outcome: outcomeOf(0, r.code), observations: [] };
    for (const e of r.value) events.set(e.uri, e);
  }
  const observations: FoundObservation[] = [];
  const hash = (email: string) => hashEmail(ctx.workspaceId, normalizeEmail(email));
  let failure: string | null = null;
  for (const event of events.values()) {
    if (!inRange(new Date(event.start_time).toISOString(), ctx.range)) continue;
    const invitees = await client.listEventInvitees(event.uri);
    if (!invitees.ok) {
      failure = invitees.code;
      break;
    }
    for (const invitee of invitees.value) {
      const email = normalizeEmail(invitee.email);
      if (!emails.includes(email)) continue;
      const mapped = mapCalendlyInvitee(event, invitee, {
        workspaceId: ctx.workspaceId,
        source: ctx.source,
        observedAt: ctx.observedAt,
        leadId: ctx.leadId,
      });
      if (!mapped.ok) {
        failure ??= mapped.code;
        continue;
      }
      const matchedBy: MatchedBy = email === primary ? 'email' : 'alternate_email';
      const { hints } = mapped.value;
      // An email on two leads gives the booking to neither: observed unmatched, an operator links it.
      const shared = (await lead.ambiguous?.(hash(email))) ?? false;
      // … and the check proves nothing for this lead ("none" would be wrong): a failure, coded.
      if (shared) failure ??= 'EMAIL_ON_SEVERAL_LEADS';
      observations.push({
        observation: shared
          ? { ...mapped.value.observation, leadId: null }
          : { ...mapped.value.observation, matchedBy },
        matchKeys: {
          inviteeEmailHash: hash(hints.inviteeEmail),
          guestEmailHashes: hints.guestEmails.slice(0, 50).map(hash),
          ghlContactId: null,
          utmLeadIds: lead.utmLeadIds(hints.utmTokens).slice(0, 10),
        },
      });
    }
  }
  if (failure === null)
    failure = await followKnownInvitees(client, hash, lead.utmLeadIds, ctx, knownInvitees, observations);
  const own = observations.filter((o) => o.observation.leadId === ctx.leadId).length;
  return { provider: 'calendly', outcome: outcomeOf(own, failure), observations };
}

/**
 * Re-reads the invitees recon holds for the lead that the email lookup did not return (the CRM may
 * have changed the lead's email; the booking may have been matched by guest, UTM or an operator),
 * and follows each one's `new_invitee` down a reschedule chain: a new invitee is the same meeting
 * moved, so it is observed for this lead too. Returns a failure code or null.
 */
async function followKnownInvitees(
  client: CalendlyClient,
  hash: (email: string) => string,
  utmLeadIds: CalendlyLeadFacts['utmLeadIds'],
  ctx: CheckContext,
  knownInvitees: readonly string[],
  observations: FoundObservation[],
): Promise<string | null> {
  const seen = new Set(observations.map((o) => o.observation.providerAppointmentId));
  const queue = knownInvitees.filter((uri) => !seen.has(uri));
  for (let hops = 0; queue.length > 0 && hops < MAX_CHAIN * Math.max(1, knownInvitees.length); hops++) {
    const uri = queue.shift() as string;
    if (seen.has(uri)) continue;
    seen.add(uri);
    const eventUri = eventOf(uri);
    if (eventUri === null) continue;
    const event = await client.getScheduledEvent(eventUri);
    // Gone from Calendly (or never readable by this token): no evidence either way, not a failed
    // check. A successor that stays unfound is the reschedule sweep's (reschedule-confirm-sweep.ts).
    if (!event.ok && event.code === 'PROVIDER_NOT_FOUND') continue;
    if (!event.ok) return event.code;
    if (!inRange(new Date(event.value.start_time).toISOString(), ctx.range)) continue;
    const invitees = await client.listEventInvitees(eventUri);
    if (!invitees.ok) return invitees.code;
    const invitee = invitees.value.find((i) => i.uri === uri);
    if (invitee === undefined) continue;
    const mapped = mapCalendlyInvitee(event.value, invitee, {
      workspaceId: ctx.workspaceId,
      source: ctx.source,
      observedAt: ctx.observedAt,
      leadId: ctx.leadId,
    });
    if (!mapped.ok) return mapped.code;
    const { hints, observation } = mapped.value;
    observations.push({
      observation: { ...observation, matchedBy: observation.rescheduledFrom !== null ? 'reschedule' : 'lead_id' },
      matchKeys: {
        inviteeEmailHash: hash(hints.inviteeEmail),
        guestEmailHashes: hints.guestEmails.slice(0, 50).map(hash),
        ghlContactId: null,
        utmLeadIds: utmLeadIds(hints.utmTokens).slice(0, 10),
      },
    });
    if (observation.rescheduledTo !== null && !seen.has(observation.rescheduledTo))
      queue.push(observation.rescheduledTo);
  }
  return null;
}
