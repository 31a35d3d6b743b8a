/**
 * A local Calendly API v2 that speaks the documented formats (shapes as ../shared/fixtures/calendly):
 * GET /scheduled_events (organization/user, invitee_email, status, min/max_start_time, sort, count,
 * page_token), GET /scheduled_events/{uuid}, GET /scheduled_events/{uuid}/invitees (paged),
 * GET /scheduled_events/{uuid}/invitees/{invitee_uuid}. URIs use
 * the real `https://api.calendly.com` prefix, as Calendly returns them. Each user token is an account
 * with Calendly's per-user limit (default 500 / 60 s, sliding) and X-RateLimit-Limit / -Remaining /
 * -Reset (seconds) headers. Seed with addUser / addBooking / cancelInvitee / rescheduleInvitee /
 * markNoShow / removeInvitee (or generateBookings); webhook subscriptions: addWebhookSubscription / setWebhookSubscriptionState,
 * listed by GET /webhook_subscriptions?organization=…&scope=organization.
 */
import {
  subscriptionResource,
  type CalendlySimSubscription,
  type CalendlySubscriptionState,
} from './calendly-sim-subscriptions';
import {
  type CalendlySimEvent,
  type CalendlySimInvitee,
  eventResource,
  inviteeResource,
} from './calendly-sim-resources';
import { SeededRandom } from './seeded-random';
import {
  type RateLimitState,
  type SimRateLimit,
  type SimRequest,
  type SimResponse,
  SimulatorServer,
} from './simulator-server';

export const CALENDLY_URI_BASE = 'https://api.calendly.com';

type TimeInput = Date | number | string;
const toMs = (t: TimeInput): number => (t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t));

export function calendlyRateLimitHeaders(s: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(s.limit),
    'X-RateLimit-Remaining': String(s.remaining),
    'X-RateLimit-Reset': String(Math.max(1, Math.ceil(s.resetMs / 1000))),
  };
}

function calendlyError(status: number): unknown {
  const titles: Record<number, [string, string]> = {
    400: ['Invalid Argument', 'The supplied parameters are invalid.'],
    401: ['Unauthenticated', 'The access token is invalid'],
    403: ['Permission Denied', 'You do not have permission to access this resource.'],
    404: ['Resource Not Found', 'The server could not find the requested resource.'],
    405: ['Method Not Allowed', 'The simulator is read-only.'],
    429: ['Too Many Requests', 'Rate limit exceeded'],
  };
  const [title, message] = titles[status] ?? [
    'Internal Server Error',
    'The server encountered an unexpected condition.',
  ];
  return { title, message };
}

export interface CalendlySimulatorOptions {
  readonly rateLimit?: Partial<SimRateLimit>;
  readonly seed?: number;
}

export interface SimBooking {
  readonly eventUri: string;
  readonly inviteeUri: string;
}

interface PageCursor {
  readonly o: number;
}

export class CalendlySimulator {
  readonly server: SimulatorServer;
  private readonly users = new Map<string, { userUri: string; organizationUri: string }>();
  private readonly events = new Map<string, CalendlySimEvent>();
  private readonly invitees = new Map<string, CalendlySimInvitee>();
  private readonly subscriptions = new Map<string, CalendlySimSubscription>();
  private readonly random: SeededRandom;
  /** Largest page served whatever `count` asks (a provider may answer fewer items than asked). */
  maxPageSize = 100;
  /**
   * Pages that change between calls: a followed `page_token` lands this many items later (as if
   * items before it were removed since the previous page; negative: earlier, as if added).
   */
  pageShift = 0;
  /** Followed pages served shifted by `pageShift`. */
  shiftedPages = 0;

  constructor(options: CalendlySimulatorOptions = {}) {
    this.random = new SeededRandom(options.seed ?? 1);
    this.server = new SimulatorServer({
      rateLimit: { maxRequests: 500, windowMs: 60_000, ...options.rateLimit },
      rateLimitHeaders: calendlyRateLimitHeaders,
      errorBody: calendlyError,
      authenticate: (token) => this.users.get(token)?.userUri ?? null,
      route: (req) => this.route(req),
    });
  }

  start(): Promise<string> {
    return this.server.start();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Adds an organization webhook subscription (default `active`); returns its URI. */
  addWebhookSubscription(input: {
    organizationUri: string;
    callbackUrl: string;
    state?: CalendlySubscriptionState;
  }): string {
    const now = Date.now();
    const sub: CalendlySimSubscription = {
      uuid: this.random.uuid(),
      organizationUri: input.organizationUri,
      callbackUrl: input.callbackUrl,
      state: input.state ?? 'active',
      createdMs: now,
      updatedMs: now,
    };
    this.subscriptions.set(sub.uuid, sub);
    return `${CALENDLY_URI_BASE}/webhook_subscriptions/${sub.uuid}`;
  }

  /** Calendly disabling a subscription after failed deliveries (or enabling it again). */
  setWebhookSubscriptionState(uri: string, state: CalendlySubscriptionState): void {
    const sub = this.subscriptions.get(uri.split('/').pop() ?? '');
    if (sub === undefined) throw new Error('unknown webhook subscription');
    Object.assign(sub, { state, updatedMs: Date.now() });
  }

  /** Registers a user token; returns its user URI (the rate-limit account). */
  addUser(input: { accessToken: string; organizationUri: string; userUri?: string }): string {
    const userUri = input.userUri ?? `${CALENDLY_URI_BASE}/users/${this.random.uuid()}`;
    this.users.set(input.accessToken, { userUri, organizationUri: input.organizationUri });
    return userUri;
  }

  addBooking(input: {
    organizationUri: string;
    email: string;
    startTime: TimeInput;
    durationMinutes?: number;
    guests?: readonly string[];
    utmContent?: string | null;
    utmTerm?: string | null;
    at?: TimeInput;
    oldInviteeUri?: string | null;
  }): SimBooking {
    const at = input.at === undefined ? Date.now() : toMs(input.at);
    const startMs = toMs(input.startTime);
    const event: CalendlySimEvent = {
      uuid: this.random.uuid(),
      organizationUri: input.organizationUri,
      status: 'active',
      startMs,
      endMs: startMs + (input.durationMinutes ?? 30) * 60_000,
      createdMs: at,
      updatedMs: at,
      guests: [...(input.guests ?? [])],
      cancellation: null,
    };
    const invitee: CalendlySimInvitee = {
      uuid: this.random.uuid(),
      eventUuid: event.uuid,
      email: input.email,
      status: 'active',
      createdMs: at,
      updatedMs: at,
      rescheduled: false,
      oldInviteeUri: input.oldInviteeUri ?? null,
      newInviteeUri: null,
      cancellation: null,
      utmContent: input.utmContent ?? null,
      utmTerm: input.utmTerm ?? null,
      noShow: null,
    };
    this.events.set(event.uuid, event);
    this.invitees.set(invitee.uuid, invitee);
    return { eventUri: `${CALENDLY_URI_BASE}/scheduled_events/${event.uuid}`, inviteeUri: this.inviteeUri(invitee) };
  }

  cancelInvitee(
    inviteeUri: string,
    options: { by?: 'host' | 'invitee'; at?: TimeInput; rescheduledTo?: string } = {},
  ): void {
    const inv = this.findInvitee(inviteeUri);
    const at = options.at === undefined ? Math.max(Date.now(), inv.updatedMs + 1) : toMs(options.at);
    const cancellation = { canceler_type: options.by ?? 'invitee', createdMs: at };
    Object.assign(inv, {
      status: 'canceled',
      updatedMs: at,
      cancellation,
      rescheduled: options.rescheduledTo !== undefined,
      newInviteeUri: options.rescheduledTo ?? null,
    });
    const event = this.events.get(inv.eventUuid);
    const stillActive = [...this.invitees.values()].some((i) => i.eventUuid === inv.eventUuid && i.status === 'active');
    if (event && !stillActive) Object.assign(event, { status: 'canceled', updatedMs: at, cancellation });
  }

  /** Calendly's reschedule: a new event + invitee (old_invitee set), the old invitee canceled with rescheduled: true. */
  rescheduleInvitee(inviteeUri: string, newStart: TimeInput, options: { at?: TimeInput } = {}): SimBooking {
    const old = this.findInvitee(inviteeUri);
    const oldEvent = this.events.get(old.eventUuid);
    const at = options.at === undefined ? Math.max(Date.now(), old.updatedMs + 1) : toMs(options.at);
    const booking = this.addBooking({
      organizationUri: oldEvent?.organizationUri ?? '',
      email: old.email,
      startTime: newStart,
      durationMinutes: oldEvent ? (oldEvent.endMs - oldEvent.startMs) / 60_000 : 30,
      guests: oldEvent?.guests ?? [],
      utmContent: old.utmContent,
      utmTerm: old.utmTerm,
      at,
      oldInviteeUri: inviteeUri,
    });
    this.cancelInvitee(inviteeUri, { at, rescheduledTo: booking.inviteeUri });
    return booking;
  }

  /**
   * The invitee is gone for this organization's token (its event too, once it has no invitee
   * left): every read of it answers 404. Models a reschedule's new booking that can never be
   * fetched (deleted on a data-deletion request, or made on a calendar this token cannot read).
   */
  removeInvitee(inviteeUri: string): void {
    const inv = this.findInvitee(inviteeUri);
    this.invitees.delete(inv.uuid);
    if (![...this.invitees.values()].some((i) => i.eventUuid === inv.eventUuid)) this.events.delete(inv.eventUuid);
  }

  markNoShow(inviteeUri: string, options: { at?: TimeInput } = {}): void {
    const inv = this.findInvitee(inviteeUri);
    const at = options.at === undefined ? Math.max(Date.now(), inv.updatedMs + 1) : toMs(options.at);
    Object.assign(inv, { noShow: { uuid: this.random.uuid(), createdMs: at }, updatedMs: at });
  }

  unmarkNoShow(inviteeUri: string): void {
    const inv = this.findInvitee(inviteeUri);
    Object.assign(inv, { noShow: null, updatedMs: Math.max(Date.now(), inv.updatedMs + 1) });
  }

  /** Seeds `count` bookings for `emails`, starting within `days` after `from`; a share canceled. */
  generateBookings(input: {
    organizationUri: string;
    emails: readonly string[];
    count: number;
    from: TimeInput;
    days: number;
  }): SimBooking[] {
    const from = toMs(input.from);
    return Array.from({ length: input.count }, () => {
      const b = this.addBooking({
        organizationUri: input.organizationUri,
        email: this.random.pick(input.emails),
        startTime: from + this.random.int(0, input.days * 48) * 1_800_000,
        at: from - 86_400_000,
      });
      if (this.random.next() < 0.2) this.cancelInvitee(b.inviteeUri, { at: from - 3_600_000 });
      return b;
    });
  }

  private inviteeUri(inv: CalendlySimInvitee): string {
    return `${CALENDLY_URI_BASE}/scheduled_events/${inv.eventUuid}/invitees/${inv.uuid}`;
  }

  private findInvitee(uri: string): CalendlySimInvitee {
    const inv = this.invitees.get(uri.split('/').pop() ?? '');
    if (!inv) throw new Error('no such invitee');
    return inv;
  }

  private page<T>(req: SimRequest, items: readonly T[], render: (t: T) => unknown): SimResponse {
    const countRaw = req.query.get('count');
    const count = countRaw === null ? 20 : Number(countRaw);
    if (!Number.isInteger(count) || count < 1 || count > 100) return { status: 400, body: calendlyError(400) };
    let offset = 0;
    const token = req.query.get('page_token');
    if (token) {
      try {
        offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageCursor).o;
      } catch {
        return { status: 400, body: calendlyError(400) };
      }
      if (!Number.isInteger(offset) || offset < 0) return { status: 400, body: calendlyError(400) };
    }
    if (token && this.pageShift !== 0) {
      offset = Math.max(0, offset + this.pageShift);
      this.shiftedPages++;
    }
    const size = Math.min(count, this.maxPageSize);
    const slice = items.slice(offset, offset + size);
    const enc = (o: number) => Buffer.from(JSON.stringify({ o } satisfies PageCursor)).toString('base64url');
    const next = offset + size < items.length ? enc(offset + size) : null;
    const prev = offset > 0 ? enc(Math.max(0, offset - size)) : null;
    const link = (t: string | null) => {
      if (t === null) return null;
      const q = new URLSearchParams(req.query);
      q.set('page_token', t);
      return `${CALENDLY_URI_BASE}${req.path}?${q.toString()}`;
    };
    return {
      status: 200,
      body: {
        collection: slice.map(render),
        pagination: {
          count: slice.length,
          next_page: link(next),
          previous_page: link(prev),
          next_page_token: next,
          previous_page_token: prev,
        },
      },
    };
  }

  private route(req: SimRequest): SimResponse {
    const [a, uuid, c, d] = req.segments;
    const user = [...this.users.values()].find((u) => u.userUri === req.account);
    if (a === 'webhook_subscriptions' && uuid === undefined) {
      const org = req.query.get('organization');
      if (!org || !req.query.get('scope')) return { status: 400, body: calendlyError(400) };
      if (org !== user?.organizationUri) return { status: 403, body: calendlyError(403) };
      const subs = [...this.subscriptions.values()]
        .filter((x) => x.organizationUri === org)
        .sort((x, y) => x.createdMs - y.createdMs || x.uuid.localeCompare(y.uuid));
      return this.page(req, subs, (x) => subscriptionResource(x, CALENDLY_URI_BASE));
    }
    if (a !== 'scheduled_events') return { status: 404, body: calendlyError(404) };
    const q = req.query;
    if (uuid === undefined) {
      const org = q.get('organization');
      if (!org && !q.get('user')) return { status: 400, body: calendlyError(400) };
      if (org && org !== user?.organizationUri) return { status: 403, body: calendlyError(403) };
      const email = q.get('invitee_email')?.toLowerCase();
      const min = q.get('min_start_time') ? Date.parse(q.get('min_start_time') ?? '') : -Infinity;
      const max = q.get('max_start_time') ? Date.parse(q.get('max_start_time') ?? '') : Infinity;
      const status = q.get('status');
      const desc = q.get('sort') === 'start_time:desc';
      const all = [...this.invitees.values()];
      const events = [...this.events.values()]
        .filter(
          (e) =>
            e.organizationUri === user?.organizationUri &&
            (!status || e.status === status) &&
            e.startMs >= min &&
            e.startMs < max,
        )
        .filter((e) => !email || all.some((i) => i.eventUuid === e.uuid && i.email.toLowerCase() === email))
        .sort((x, y) => (desc ? y.startMs - x.startMs : x.startMs - y.startMs) || x.uuid.localeCompare(y.uuid));
      return this.page(req, events, (e) => eventResource(e, CALENDLY_URI_BASE));
    }
    const event = this.events.get(uuid);
    if (!event || event.organizationUri !== user?.organizationUri) return { status: 404, body: calendlyError(404) };
    if (c === undefined) return { status: 200, body: { resource: eventResource(event, CALENDLY_URI_BASE) } };
    if (c === 'invitees' && d !== undefined) {
      const invitee = this.invitees.get(d);
      if (!invitee || invitee.eventUuid !== uuid) return { status: 404, body: calendlyError(404) };
      return { status: 200, body: { resource: inviteeResource(invitee, CALENDLY_URI_BASE) } };
    }
    if (c !== 'invitees') return { status: 404, body: calendlyError(404) };
    const email = q.get('email')?.toLowerCase();
    const status = q.get('status');
    const invitees = [...this.invitees.values()]
      .filter(
        (i) => i.eventUuid === uuid && (!status || i.status === status) && (!email || i.email.toLowerCase() === email),
      )
      .sort((x, y) => x.createdMs - y.createdMs || x.uuid.localeCompare(y.uuid));
    if (q.get('sort') === 'created_at:desc') invitees.reverse();
    return this.page(req, invitees, (i) => inviteeResource(i, CALENDLY_URI_BASE));
  }
}
