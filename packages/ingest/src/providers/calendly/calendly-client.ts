/**
 * Read-only Calendly client (API v2, calendly.md §5): a lead's bookings by invitee email
 * (organization-wide, needs an owner/admin token), an event's invitees, and a rolling-window scan of
 * the organization's events by start time (Calendly has no "updated since" filter, so later
 * cancellations of known events are only seen by re-scanning). Lists follow `next_page_token`
 * (rebuilt against our own base URL, never the absolute `next_page`, so simulators work).
 * `listScheduledEventsPage` exposes one page and its token for resumable backfills.
 */
import {
  type CalendlyInvitee,
  type CalendlyScheduledEvent,
  parseCalendlyInviteeList,
  parseCalendlyInviteeResource,
  parseCalendlyScheduledEventList,
  parseCalendlyScheduledEventResource,
} from '@recon/domain';
import type { ProviderCallResult } from '../provider-call-result';
import { type ProviderHttpOptions, getJson } from '../provider-http';
import { CALENDLY_API_BASE_URL } from './calendly-credentials';
import { calendlyRateLimit } from './calendly-rate-limit';

export interface CalendlyClientOptions extends Omit<ProviderHttpOptions, 'baseUrl'> {
  readonly baseUrl?: string;
  /** Organization URI (`https://api.calendly.com/organizations/…`). */
  readonly organizationUri: string;
  /** Rows per page, 1–100 (default 100). */
  readonly pageSize?: number;
  /** Pages followed per list call before PROVIDER_PAGINATION_LIMIT (default 100). */
  readonly maxPages?: number;
}

export interface ScheduledEventsFilter {
  readonly inviteeEmail?: string;
  readonly status?: 'active' | 'canceled';
  /** ISO-8601 instants bounding the meeting's start time. */
  readonly minStartTime?: string;
  readonly maxStartTime?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextPageToken: string | null;
}

export interface CalendlyClient {
  listScheduledEventsPage(
    filter: ScheduledEventsFilter,
    pageToken?: string | null,
  ): Promise<ProviderCallResult<Page<CalendlyScheduledEvent>>>;
  listScheduledEventsByInviteeEmail(email: string): Promise<ProviderCallResult<readonly CalendlyScheduledEvent[]>>;
  scanOrganizationEvents(window: {
    minStartTime: string;
    maxStartTime: string;
  }): Promise<ProviderCallResult<readonly CalendlyScheduledEvent[]>>;
  listEventInvitees(eventUri: string): Promise<ProviderCallResult<readonly CalendlyInvitee[]>>;
  getScheduledEvent(eventUri: string): Promise<ProviderCallResult<CalendlyScheduledEvent>>;
  /** One invitee by its URI (`GET /scheduled_events/{event_uuid}/invitees/{invitee_uuid}`). */
  getInvitee(inviteeUri: string): Promise<ProviderCallResult<CalendlyInvitee>>;
}

const EVENT_UUID = /\/scheduled_events\/([^/?#]+)/;

const INVITEE_PATH = /\/scheduled_events\/([^/?#]+)\/invitees\/([^/?#]+)/;

function eventUuid(eventUri: string): string | null {
  const m = EVENT_UUID.exec(eventUri);
  return m?.[1] ? m[1] : /^[A-Za-z0-9-]{1,64}$/.test(eventUri) ? eventUri : null;
}

const asIssues = <T>(r: { ok: true; value: T } | { ok: false; issues: readonly string[] }) => r;

export function createCalendlyClient(options: CalendlyClientOptions): CalendlyClient {
  const http: ProviderHttpOptions = { ...options, baseUrl: options.baseUrl ?? CALENDLY_API_BASE_URL };
  const count = String(Math.min(100, Math.max(1, options.pageSize ?? 100)));
  const maxPages = options.maxPages ?? 100;

  async function collect<T>(
    fetchPage: (token: string | null) => Promise<ProviderCallResult<Page<T>>>,
  ): Promise<ProviderCallResult<readonly T[]>> {
    const items: T[] = [];
    const seen = new Set<string>();
    let token: string | null = null;
    for (let page = 0; page < maxPages; page++) {
      const r = await fetchPage(token);
      if (!r.ok) return r;
      items.push(...r.value.items);
      token = r.value.nextPageToken;
      if (token === null) return { ok: true, value: items };
      if (seen.has(token)) break;
      seen.add(token);
    }
    return { ok: false, code: 'PROVIDER_PAGINATION_LIMIT', attempts: 0 };
  }

  const client: CalendlyClient = {
    async listScheduledEventsPage(filter, pageToken) {
      const r = await getJson(http, {
        path: '/scheduled_events',
        query: {
          organization: options.organizationUri,
          invitee_email: filter.inviteeEmail,
          status: filter.status,
          min_start_time: filter.minStartTime,
          max_start_time: filter.maxStartTime,
          sort: 'start_time:asc',
          count,
          page_token: pageToken ?? undefined,
        },
        parse: (b) => asIssues(parseCalendlyScheduledEventList(b)),
        rateLimit: calendlyRateLimit,
      });
      return r.ok
        ? { ok: true, value: { items: r.value.collection, nextPageToken: r.value.pagination?.next_page_token ?? null } }
        : r;
    },
    listScheduledEventsByInviteeEmail(email) {
      return collect((token) => client.listScheduledEventsPage({ inviteeEmail: email }, token));
    },
    scanOrganizationEvents(window) {
      return collect((token) => client.listScheduledEventsPage(window, token));
    },
    listEventInvitees(eventUri) {
      const uuid = eventUuid(eventUri);
      if (uuid === null) return Promise.resolve({ ok: false, code: 'PROVIDER_REJECTED', attempts: 0 });
      return collect(async (token) => {
        const r = await getJson(http, {
          path: `/scheduled_events/${encodeURIComponent(uuid)}/invitees`,
          query: { count, page_token: token ?? undefined },
          parse: (b) => asIssues(parseCalendlyInviteeList(b)),
          rateLimit: calendlyRateLimit,
        });
        return r.ok
          ? {
              ok: true,
              value: { items: r.value.collection, nextPageToken: r.value.pagination?.next_page_token ?? null },
            }
          : r;
      });
    },
    async getScheduledEvent(eventUri) {
      const uuid = eventUuid(eventUri);
      if (uuid === null) return { ok: false, code: 'PROVIDER_REJECTED', attempts: 0 };
      const r = await getJson(http, {
        path: `/scheduled_events/${encodeURIComponent(uuid)}`,
        parse: (b) => asIssues(parseCalendlyScheduledEventResource(b)),
        rateLimit: calendlyRateLimit,
      });
      return r.ok ? { ok: true, value: r.value.resource } : r;
    },
    async getInvitee(inviteeUri) {
      const m = INVITEE_PATH.exec(inviteeUri);
      if (!m?.[1] || !m[2]) return { ok: false, code: 'PROVIDER_REJECTED', attempts: 0 };
      const r = await getJson(http, {
        path: `/scheduled_events/${encodeURIComponent(m[1])}/invitees/${encodeURIComponent(m[2])}`,
        parse: (b) => asIssues(parseCalendlyInviteeResource(b)),
        rateLimit: calendlyRateLimit,
      });
      return r.ok ? { ok: true, value: r.value.resource } : r;
    },
  };
  return client;
}
