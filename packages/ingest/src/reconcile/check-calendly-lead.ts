/**
 * Asks Calendly about one lead: the organization's scheduled events with an invitee of the lead's
 * email, for the primary and every alternate email (`invitee_email`, no status filter so canceled
 * ones are seen too), then each event's invitees, keeping the invitees that are this lead (group
 * events hold other people). Emails are PII: used for the lookup only, never stored or logged.
 */
import { mapCalendlyInvitee, type CalendlyScheduledEvent, type MatchedBy } from '@recon/domain';
import { normalizeEmail, type EmailHasher } from '@recon/workspaces';
import type { CalendlyClient } from '../providers/calendly-client';
import type { ProviderCallResult } from '../providers/provider-call-result';
import { inRange, outcomeOf, type CheckContext, type FoundObservation, type ProviderCheckResult } from './provider-check';

export interface CalendlyLeadFacts {
  readonly email: string | null;
  readonly alternateEmails: readonly string[];
}

const MAX_PAGES = 20;

async function eventsFor(client: CalendlyClient, email: string, ctx: CheckContext): Promise<ProviderCallResult<CalendlyScheduledEvent[]>> {
  const out: CalendlyScheduledEvent[] = [];
  let token: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const filter = { inviteeEmail: email, ...(ctx.range?.from ? { minStartTime: ctx.range.from } : {}), ...(ctx.range?.to ? { maxStartTime: ctx.range.to } : {}) };
    const r = await client.listScheduledEventsPage(filter, token);
    if (!r.ok) return r;
    out.push(...r.value.items);
    token = r.value.nextPageToken;
    if (token === null) return { ok: true, value: out };
  }
  return { ok: false, code: 'PROVIDER_PAGINATION_LIMIT', attempts: 0 };
}

export async function checkCalendlyLead(client: CalendlyClient, hashEmail: EmailHasher, ctx: CheckContext, lead: CalendlyLeadFacts): Promise<ProviderCheckResult> {
  const primary = lead.email && lead.email.trim() !== '' ? normalizeEmail(lead.email) : null;
  const emails = [...new Set([primary, ...lead.alternateEmails.map(normalizeEmail)].filter((e): e is string => e !== null && e !== ''))];
  if (emails.length === 0) return { provider: 'calendly', outcome: { kind: 'skipped', code: 'NO_EMAIL' }, observations: [] };
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
      const mapped = mapCalendlyInvitee(event, invitee, { workspaceId: ctx.workspaceId, source: ctx.source, observedAt: ctx.observedAt, leadId: ctx.leadId });
      if (!mapped.ok) {
        failure ??= mapped.code;
        continue;
      }
      const matchedBy: MatchedBy = email === primary ? 'email' : 'alternate_email';
      const { hints } = mapped.value;
      observations.push({
        observation: { ...mapped.value.observation, matchedBy },
        matchKeys: { inviteeEmailHash: hash(hints.inviteeEmail), guestEmailHashes: hints.guestEmails.slice(0, 50).map(hash), ghlContactId: null, utmLeadIds: hints.utmLeadIds.slice(0, 10) },
      });
    }
  }
  return { provider: 'calendly', outcome: outcomeOf(observations.length, failure), observations };
}
