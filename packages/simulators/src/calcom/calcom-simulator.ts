/**
 * A local Cal.com API v2 that speaks the documented formats (docs/providers/calcom.md §9): `GET
 * /v2/bookings` with `cal-api-version: 2024-08-13` — `attendeeEmail` (exact, case-sensitive, any
 * attendee), `bookingUid`, `status` (comma list of upcoming / past / cancelled / unconfirmed), `afterStart`,
 * `beforeEnd`, `sortStart`, offset paging with `take` (1–250, default 100) and `skip`, and the
 * `pagination` object. Without the version header it answers the legacy shape (open question 5),
 * which a 2024-08-13 client must refuse. Each API key is an account with Cal.com's per-key limit
 * (default 120 / 60 s) and `X-RateLimit-{Limit,Remaining,Reset}-Default` headers (reset in seconds;
 * no Retry-After, as Cal.com). Seed with addUser / addBooking / cancelBooking / rescheduleBooking /
 * markAbsent; faults (status codes, malformed bodies, timeouts, 429s) through `server.injectFault`.
 */
import { SeededRandom } from '../seeded-random';
import {
  type RateLimitState,
  type SimRateLimit,
  type SimRequest,
  type SimResponse,
  SimulatorServer,
} from '../simulator-server';
import { bookingResource, calcomError, type CalcomSimBooking, type CalcomSimStatus } from './calcom-sim-resources';

export const CALCOM_API_VERSION = '2024-08-13';

type TimeInput = Date | number | string;
const toMs = (t: TimeInput): number => (t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t));

export function calcomRateLimitHeaders(s: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit-Default': String(s.limit),
    'X-RateLimit-Remaining-Default': String(s.remaining),
    'X-RateLimit-Reset-Default': String(Math.max(1, Math.ceil(s.resetMs / 1000))),
  };
}

export interface CalcomSimulatorOptions {
  readonly rateLimit?: Partial<SimRateLimit>;
  readonly seed?: number;
  /** The simulator's "now" for upcoming / past filters (default Date.now). */
  readonly clock?: () => number;
}

export interface CalcomSimBookingInput {
  /** The organizer's user id (from addUser). */
  readonly hostUserId: number;
  readonly email: string;
  readonly name?: string;
  readonly startTime: TimeInput;
  readonly durationMinutes?: number;
  readonly guests?: readonly string[];
  readonly status?: CalcomSimStatus;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly at?: TimeInput;
  readonly uid?: string;
  readonly rescheduledFromUid?: string | null;
}

const CANCELLED = new Set<CalcomSimStatus>(['cancelled', 'rejected']);

export class CalcomSimulator {
  readonly server: SimulatorServer;
  private readonly users = new Map<string, { userId: number; email: string }>();
  private readonly bookings = new Map<string, CalcomSimBooking>();
  private readonly random: SeededRandom;
  private readonly clock: () => number;
  private nextId = 990_001;

  constructor(options: CalcomSimulatorOptions = {}) {
    this.random = new SeededRandom(options.seed ?? 1);
    this.clock = options.clock ?? Date.now;
    this.server = new SimulatorServer({
      rateLimit: { maxRequests: 120, windowMs: 60_000, ...options.rateLimit },
      rateLimitHeaders: calcomRateLimitHeaders,
      errorBody: (status) => calcomError(status),
      authenticate: (token) => {
        const user = this.users.get(token);
        return user ? `user-${user.userId}` : null;
      },
      route: (req) => this.route(req),
    });
  }

  start(): Promise<string> {
    return this.server.start();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Registers an API key for a user; returns the user id (the rate-limit account is `user-<id>`). */
  addUser(input: { accessToken: string; userId?: number; email?: string }): number {
    const userId = input.userId ?? 880_000 + this.users.size + 1;
    this.users.set(input.accessToken, { userId, email: input.email ?? `host-${userId}@cal.example.com` });
    return userId;
  }

  private uid(): string {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
    return Array.from({ length: 22 }, () => alphabet[this.random.int(0, alphabet.length - 1)]).join('');
  }

  private hostEmail(userId: number): string {
    return [...this.users.values()].find((u) => u.userId === userId)?.email ?? `host-${userId}@cal.example.com`;
  }

  addBooking(input: CalcomSimBookingInput): CalcomSimBooking {
    const at = input.at === undefined ? this.clock() : toMs(input.at);
    const startMs = toMs(input.startTime);
    const guests = [...(input.guests ?? [])];
    const booking: CalcomSimBooking = {
      id: this.nextId++,
      uid: input.uid ?? this.uid(),
      hostUserId: input.hostUserId,
      hostEmail: this.hostEmail(input.hostUserId),
      status: input.status ?? 'accepted',
      startMs,
      endMs: startMs + (input.durationMinutes ?? 30) * 60_000,
      createdMs: at,
      updatedMs: at,
      attendees: [
        { name: input.name ?? 'Simulated Lead', email: input.email, absent: false },
        ...guests.map((g) => ({ name: '', email: g, absent: false })),
      ],
      guests,
      cancelledByEmail: null,
      rescheduledFromUid: input.rescheduledFromUid ?? null,
      rescheduledToUid: null,
      metadata: { ...(input.metadata ?? {}) },
    };
    this.bookings.set(booking.uid, booking);
    return booking;
  }

  booking(uid: string): CalcomSimBooking {
    const b = this.bookings.get(uid);
    if (!b) throw new Error('no such booking');
    return b;
  }

  /** Cancels a booking (by the attendee unless `by: 'host'`). */
  cancelBooking(uid: string, options: { by?: 'host' | 'attendee'; at?: TimeInput } = {}): void {
    const b = this.booking(uid);
    const at = options.at === undefined ? Math.max(this.clock(), b.updatedMs + 1) : toMs(options.at);
    Object.assign(b, {
      status: 'cancelled',
      updatedMs: at,
      cancelledByEmail: options.by === 'host' ? b.hostEmail : (b.attendees[0]?.email ?? null),
    });
  }

  /** Cal.com's reschedule: a new booking (`rescheduledFromUid`), the old one cancelled with `rescheduledToUid`. */
  rescheduleBooking(uid: string, newStart: TimeInput, options: { at?: TimeInput } = {}): CalcomSimBooking {
    const old = this.booking(uid);
    const at = options.at === undefined ? Math.max(this.clock(), old.updatedMs + 1) : toMs(options.at);
    const booker = old.attendees[0];
    const next = this.addBooking({
      hostUserId: old.hostUserId,
      email: booker?.email ?? '',
      name: booker?.name ?? '',
      startTime: newStart,
      durationMinutes: (old.endMs - old.startMs) / 60_000,
      guests: old.guests,
      metadata: old.metadata,
      at,
      rescheduledFromUid: old.uid,
    });
    Object.assign(old, { status: 'cancelled', updatedMs: at, rescheduledToUid: next.uid, cancelledByEmail: null });
    return next;
  }

  /** Marks an attendee absent (or present again). Like Cal.com, the booking's updatedAt does not move. */
  markAbsent(uid: string, email: string, absent = true): void {
    const attendee = this.booking(uid).attendees.find((a) => a.email === email);
    if (!attendee) throw new Error('no such attendee');
    attendee.absent = absent;
  }

  /** A pending booking confirmed by the host (same uid). */
  confirmBooking(uid: string): void {
    const b = this.booking(uid);
    Object.assign(b, { status: 'accepted', updatedMs: Math.max(this.clock(), b.updatedMs + 1) });
  }

  private matchesStatus(b: CalcomSimBooking, wanted: readonly string[], now: number): boolean {
    return wanted.some((s) => {
      if (s === 'upcoming') return b.endMs >= now && !CANCELLED.has(b.status);
      if (s === 'past') return b.endMs <= now && !CANCELLED.has(b.status);
      if (s === 'cancelled') return CANCELLED.has(b.status);
      if (s === 'unconfirmed') return b.status === 'pending' && b.endMs >= now;
      return false; // `recurring`: the simulator has no recurring series
    });
  }

  private route(req: SimRequest): SimResponse {
    const [v2, resource, extra] = req.segments;
    if (v2 !== 'v2' || resource !== 'bookings' || extra !== undefined)
      return { status: 404, body: calcomError(404, req.path) };
    const userId = Number(req.account.replace(/^user-/, ''));
    if (req.headers['cal-api-version'] !== CALCOM_API_VERSION) {
      // The legacy 2024-04-15 controller's shape: not what a 2024-08-13 client can read.
      return { status: 200, body: { status: 'success', data: { bookings: [], recurringInfo: [], nextCursor: null } } };
    }
    const q = req.query;
    const take = q.has('take') ? Number(q.get('take')) : 100;
    const skip = q.has('skip') ? Number(q.get('skip')) : 0;
    if (!Number.isInteger(take) || take < 1 || take > 250 || !Number.isInteger(skip) || skip < 0)
      return { status: 400, body: calcomError(400, req.path) };
    const now = this.clock();
    const email = q.get('attendeeEmail');
    const bookingUid = q.get('bookingUid');
    const statuses =
      q
        .get('status')
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean) ?? [];
    const afterStart = q.has('afterStart') ? Date.parse(q.get('afterStart') ?? '') : -Infinity;
    const beforeEnd = q.has('beforeEnd') ? Date.parse(q.get('beforeEnd') ?? '') : Infinity;
    if (Number.isNaN(afterStart) || Number.isNaN(beforeEnd)) return { status: 400, body: calcomError(400, req.path) };
    const desc = q.get('sortStart') === 'desc';
    const all = [...this.bookings.values()]
      .filter((b) => b.hostUserId === userId)
      // Exact, case-sensitive, on any attendee row (as Cal.com's `attendeeEmail`).
      .filter((b) => email === null || b.attendees.some((a) => a.email === email))
      .filter((b) => bookingUid === null || b.uid === bookingUid)
      .filter((b) => statuses.length === 0 || this.matchesStatus(b, statuses, now))
      .filter((b) => b.startMs >= afterStart && b.endMs <= beforeEnd)
      .sort((x, y) => (desc ? y.startMs - x.startMs : x.startMs - y.startMs) || x.id - y.id);
    const page = all.slice(skip, skip + take);
    const totalPages = Math.max(1, Math.ceil(all.length / take));
    return {
      status: 200,
      body: {
        status: 'success',
        data: page.map(bookingResource),
        pagination: {
          returnedItems: page.length,
          totalItems: all.length,
          itemsPerPage: take,
          remainingItems: Math.max(0, all.length - skip - page.length),
          currentPage: Math.floor(skip / take) + 1,
          totalPages,
          hasNextPage: skip + page.length < all.length,
          hasPreviousPage: skip > 0,
        },
      },
    };
  }
}
