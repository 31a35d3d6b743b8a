/**
 * Read-only GoHighLevel client (API v2, ghl.md): a contact's appointments, calendar events in a
 * window, one calendar event, and the location's timezone (cached: naive contact-endpoint times are
 * in it). Uses a location (sub-account) token; Version header per endpoint. Every response is
 * parsed with the domain's zod schemas; every failure is a coded value.
 */
import {
  type GhlCalendarEvent,
  type GhlContactAppointment,
  parseGhlCalendarEvent,
  parseGhlCalendarEvents,
  parseGhlContactAppointments,
  parseGhlLocation,
} from '@recon/domain';
import type { ProviderCallResult } from '../provider-call-result';
import { type ProviderHttpOptions, getJson } from '../provider-http';
import { GHL_API_BASE_URL } from './ghl-credentials';
import { ghlRateLimit } from './ghl-rate-limit';

const CONTACTS_VERSION = '2021-07-28';
const CALENDARS_VERSION = '2021-04-15';

export interface GhlClientOptions extends Omit<ProviderHttpOptions, 'baseUrl'> {
  readonly baseUrl?: string;
  /** The sub-account the token belongs to. */
  readonly locationId: string;
  /** How long a fetched location timezone stays cached (default 1 h). */
  readonly timeZoneTtlMs?: number;
  /** Where timezones are cached; default one process-wide map keyed by base URL + location, so short-lived clients share it. */
  readonly timeZoneCache?: Map<string, { readonly value: string; readonly at: number }>;
}

const sharedTimeZones = new Map<string, { readonly value: string; readonly at: number }>();
/** Time-zone requests under way, by cache key (process-wide, like the cache: short-lived clients share them). */
const inFlightZones = new Map<string, Promise<ProviderCallResult<string>>>();

export type GhlCalendarEventsQuery = ({ calendarId: string } | { userId: string } | { groupId: string }) & {
  /** Window start / end (epoch ms or Date). GHL documents no maximum; chunk long windows. */
  readonly startTime: number | Date;
  readonly endTime: number | Date;
};

export interface GhlClient {
  readonly locationId: string;
  getContactAppointments(contactId: string): Promise<ProviderCallResult<readonly GhlContactAppointment[]>>;
  getCalendarEvents(query: GhlCalendarEventsQuery): Promise<ProviderCallResult<readonly GhlCalendarEvent[]>>;
  getCalendarEvent(eventId: string): Promise<ProviderCallResult<GhlCalendarEvent>>;
  getLocationTimeZone(): Promise<ProviderCallResult<string>>;
}

const seg = (s: string) => encodeURIComponent(s);
const ms = (t: number | Date) => String(typeof t === 'number' ? t : t.getTime());
const asIssues = <T>(r: { ok: true; value: T } | { ok: false; issues: readonly string[] }) => r;

export function createGhlClient(options: GhlClientOptions): GhlClient {
  const http: ProviderHttpOptions = { ...options, baseUrl: options.baseUrl ?? GHL_API_BASE_URL };
  const ttl = options.timeZoneTtlMs ?? 3_600_000;
  const zones = options.timeZoneCache ?? sharedTimeZones;
  const zoneKey = `${http.baseUrl}|${options.locationId}`;

  return {
    locationId: options.locationId,
    async getContactAppointments(contactId) {
      const r = await getJson(http, {
        path: `/contacts/${seg(contactId)}/appointments`,
        headers: { Version: CONTACTS_VERSION },
        parse: (b) => asIssues(parseGhlContactAppointments(b)),
        rateLimit: ghlRateLimit,
      });
      return r.ok ? { ok: true, value: r.value.events } : r;
    },
    async getCalendarEvents(query) {
      const which =
        'calendarId' in query
          ? { calendarId: query.calendarId }
          : 'userId' in query
            ? { userId: query.userId }
            : { groupId: query.groupId };
      const r = await getJson(http, {
        path: '/calendars/events',
        query: { locationId: options.locationId, ...which, startTime: ms(query.startTime), endTime: ms(query.endTime) },
        headers: { Version: CALENDARS_VERSION },
        parse: (b) => asIssues(parseGhlCalendarEvents(b)),
        rateLimit: ghlRateLimit,
      });
      return r.ok ? { ok: true, value: r.value.events } : r;
    },
    async getCalendarEvent(eventId) {
      const r = await getJson(http, {
        path: `/calendars/events/appointments/${seg(eventId)}`,
        headers: { Version: CALENDARS_VERSION },
        parse: (b) => asIssues(parseGhlCalendarEvent(b)),
        rateLimit: ghlRateLimit,
      });
      return r.ok ? { ok: true, value: r.value.event } : r;
    },
    async getLocationTimeZone() {
      const cached = zones.get(zoneKey);
      if (cached && Date.now() - cached.at < ttl) return { ok: true, value: cached.value };
      // Single flight: the checks of one location that start together (a tick's first leads) share
      // one request instead of each asking while the cache is cold.
      const running = inFlightZones.get(zoneKey);
      if (running !== undefined) return running;
      const fetching = (async (): Promise<ProviderCallResult<string>> => {
        const r = await getJson(http, {
          path: `/locations/${seg(options.locationId)}`,
          headers: { Version: CONTACTS_VERSION },
          parse: (b) => asIssues(parseGhlLocation(b)),
          rateLimit: ghlRateLimit,
        });
        if (!r.ok) return r;
        zones.set(zoneKey, { value: r.value.location.timezone, at: Date.now() });
        return { ok: true, value: r.value.location.timezone };
      })();
      inFlightZones.set(zoneKey, fetching);
      try {
        return await fetching;
      } finally {
        if (inFlightZones.get(zoneKey) === fetching) inFlightZones.delete(zoneKey);
      }
    },
  };
}
