/**
 * Read-only Cal.com API v2 client (calcom.md §9): `GET /v2/bookings` with `cal-api-version:
 * 2024-08-13`, filtered by attendee email (exact and case-sensitive at Cal.com), booking uid or a
 * start-time window, sorted by start. Cal.com pages by offset (`take`/`skip`), so a booking added or
 * removed between two pages shifts the rest: each next page overlaps the previous one by a few rows
 * and rows are deduplicated by uid. Every call goes through the shared provider HTTP path (limiter,
 * timeout, retries, 429 waits from `X-RateLimit-Reset-*`).
 */
import { type CalcomApiBooking, parseCalcomBookingList } from '@recon/domain';
import type { ProviderCallResult } from '../provider-call-result';
import { type ProviderHttpOptions, getJson } from '../provider-http';
import { calcomRateLimit } from './calcom-rate-limit';
import { CALCOM_API_BASE_URL } from './calcom-credentials';

export const CALCOM_API_VERSION = '2024-08-13';

export interface CalcomClientOptions extends Omit<ProviderHttpOptions, 'baseUrl'> {
  readonly baseUrl?: string;
  /** Rows per page, 1–250 (default 100). */
  readonly pageSize?: number;
  /** Pages followed per list call before PROVIDER_PAGINATION_LIMIT (default 50). */
  readonly maxPages?: number;
}

export interface CalcomBookingsFilter {
  readonly attendeeEmail?: string;
  readonly bookingUid?: string;
  /** ISO instants: bookings starting at or after / ending at or before. */
  readonly afterStart?: string;
  readonly beforeEnd?: string;
}

export interface CalcomPage {
  readonly items: readonly CalcomApiBooking[];
  /** The `skip` of the next page, or null at the end. */
  readonly nextSkip: number | null;
}

export interface CalcomClient {
  listBookingsPage(filter: CalcomBookingsFilter, skip?: number): Promise<ProviderCallResult<CalcomPage>>;
  /** Every booking matching the filter (all statuses), in start order, each once. */
  listBookings(filter: CalcomBookingsFilter): Promise<ProviderCallResult<readonly CalcomApiBooking[]>>;
}

const OVERLAP = 5;

export function createCalcomClient(options: CalcomClientOptions): CalcomClient {
  const http: ProviderHttpOptions = { ...options, baseUrl: options.baseUrl ?? CALCOM_API_BASE_URL };
  const take = Math.min(250, Math.max(1, options.pageSize ?? 100));
  const maxPages = options.maxPages ?? 50;

  const client: CalcomClient = {
    async listBookingsPage(filter, skip = 0) {
      const r = await getJson(http, {
        path: '/v2/bookings',
        query: {
          attendeeEmail: filter.attendeeEmail,
          bookingUid: filter.bookingUid,
          afterStart: filter.afterStart,
          beforeEnd: filter.beforeEnd,
          sortStart: 'asc',
          take: String(take),
          skip: String(skip),
        },
        headers: { 'cal-api-version': CALCOM_API_VERSION },
        parse: (b) => parseCalcomBookingList(b),
        rateLimit: calcomRateLimit,
      });
      if (!r.ok) return r;
      const returned = r.value.data.length;
      // Overlap the next page with this one (offset pages shift); always move forward.
      const step = Math.max(1, returned - Math.min(OVERLAP, Math.floor(returned / 2)));
      const nextSkip = r.value.pagination.hasNextPage && returned > 0 ? skip + step : null;
      return { ok: true, value: { items: r.value.data, nextSkip } };
    },
    async listBookings(filter) {
      const byUid = new Map<string, CalcomApiBooking>();
      let skip: number | null = 0;
      for (let page = 0; page < maxPages && skip !== null; page++) {
        const r: ProviderCallResult<CalcomPage> = await client.listBookingsPage(filter, skip);
        if (!r.ok) return r;
        for (const b of r.value.items) byUid.set(b.uid, b);
        skip = r.value.nextSkip;
      }
      if (skip !== null) return { ok: false, code: 'PROVIDER_PAGINATION_LIMIT', attempts: 0 };
      return { ok: true, value: [...byUid.values()] };
    },
  };
  return client;
}
