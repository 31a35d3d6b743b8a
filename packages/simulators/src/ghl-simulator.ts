/**
 * A local GoHighLevel API v2 that speaks the documented formats (shapes as ../shared/fixtures/ghl):
 * GET /contacts/{id}/appointments (naive times in the location zone), GET /calendars/events,
 * GET /calendars/events/appointments/{id}, GET /locations/{id}. Each location token is an account
 * with GHL's burst limit (default 100 / 10 s, sliding) and daily cap, answered with the documented
 * X-RateLimit-* headers; see SimulatorServer for faults and request counting. Seed it with
 * addLocation / addAppointment (or generateGhlAppointments).
 */
import { SeededRandom } from './seeded-random';
import {
  type RateLimitState,
  type SimRateLimit,
  type SimRequest,
  type SimResponse,
  SimulatorServer,
} from './simulator-server';
import { isoWithOffset, naiveLocal } from './zoned-time-format';

export interface GhlSimAppointment {
  id: string;
  locationId: string;
  contactId: string;
  calendarId: string;
  assignedUserId: string;
  groupId: string;
  appointmentStatus: string;
  startMs: number;
  endMs: number;
  dateAddedMs: number;
  dateUpdatedMs: number;
  deleted: boolean;
}

type TimeInput = Date | number | string;
const toMs = (t: TimeInput): number => (t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t));

export function ghlRateLimitHeaders(s: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit-Daily': String(s.dailyLimit ?? 200_000),
    'X-RateLimit-Daily-Remaining': String(s.dailyRemaining ?? 200_000),
    'X-RateLimit-Interval-Milliseconds': String(s.windowMs),
    'X-RateLimit-Max': String(s.limit),
    'X-RateLimit-Remaining': String(s.remaining),
  };
}

function ghlError(status: number): unknown {
  if (status === 401)
    return { statusCode: 401, message: 'Invalid token: access token is invalid', error: 'Unauthorized' };
  if (status === 422) return { statusCode: 422, message: ['Unprocessable Entity'], error: 'Unprocessable Entity' };
  const message =
    status === 429
      ? 'Too Many Requests'
      : status === 404
        ? 'Not Found'
        : status >= 500
          ? 'Internal Server Error'
          : 'Bad Request';
  return { statusCode: status, message };
}

export interface GhlSimulatorOptions {
  readonly rateLimit?: Partial<SimRateLimit>;
  readonly seed?: number;
}

export class GhlSimulator {
  readonly server: SimulatorServer;
  private readonly locations = new Map<string, { timeZone: string }>();
  private readonly tokens = new Map<string, string>();
  private readonly appointments = new Map<string, GhlSimAppointment>();
  /** Appointments by location + contact (the contact listing answers from it, not from a scan of all). */
  private readonly byContact = new Map<string, GhlSimAppointment[]>();
  private readonly random: SeededRandom;
  private counter = 0;

  constructor(options: GhlSimulatorOptions = {}) {
    this.random = new SeededRandom(options.seed ?? 1);
    this.server = new SimulatorServer({
      rateLimit: { maxRequests: 100, windowMs: 10_000, dailyMax: 200_000, ...options.rateLimit },
      rateLimitHeaders: ghlRateLimitHeaders,
      errorBody: ghlError,
      authenticate: (token) => this.tokens.get(token) ?? null,
      route: (req) => this.route(req),
    });
  }

  start(): Promise<string> {
    return this.server.start();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  addLocation(input: { locationId: string; accessToken: string; timeZone?: string }): void {
    this.locations.set(input.locationId, { timeZone: input.timeZone ?? 'America/Chicago' });
    this.tokens.set(input.accessToken, input.locationId);
  }

  addAppointment(input: {
    locationId: string;
    contactId: string;
    startTime: TimeInput;
    endTime?: TimeInput;
    id?: string;
    calendarId?: string;
    appointmentStatus?: string;
    dateAdded?: TimeInput;
  }): GhlSimAppointment {
    const startMs = toMs(input.startTime);
    const added = input.dateAdded === undefined ? Date.now() : toMs(input.dateAdded);
    const appt: GhlSimAppointment = {
      id: input.id ?? `SimApt${String(++this.counter).padStart(14, '0')}`,
      locationId: input.locationId,
      contactId: input.contactId,
      calendarId: input.calendarId ?? 'SimCal00000000000001',
      assignedUserId: 'SimUsr00000000000001',
      groupId: 'SimGrp00000000000001',
      appointmentStatus: input.appointmentStatus ?? 'confirmed',
      startMs,
      endMs: input.endTime === undefined ? startMs + 30 * 60_000 : toMs(input.endTime),
      dateAddedMs: added,
      dateUpdatedMs: added,
      deleted: false,
    };
    this.appointments.set(appt.id, appt);
    const key = `${appt.locationId}\u0000${appt.contactId}`;
    const own = this.byContact.get(key);
    if (own) own.push(appt);
    else this.byContact.set(key, [appt]);
    return appt;
  }

  /** Changes an appointment (status, times) and bumps its dateUpdated: what a GHL user's edit does. */
  updateAppointment(
    id: string,
    patch: { appointmentStatus?: string; startTime?: TimeInput; endTime?: TimeInput; at?: TimeInput },
  ): void {
    const a = this.appointments.get(id);
    if (!a) throw new Error(`no appointment ${id}`);
    if (patch.appointmentStatus !== undefined) a.appointmentStatus = patch.appointmentStatus;
    if (patch.startTime !== undefined) {
      const duration = a.endMs - a.startMs;
      a.startMs = toMs(patch.startTime);
      a.endMs = patch.endTime === undefined ? a.startMs + duration : toMs(patch.endTime);
    }
    a.dateUpdatedMs = patch.at === undefined ? Math.max(Date.now(), a.dateUpdatedMs + 1000) : toMs(patch.at);
  }

  deleteAppointment(id: string): void {
    const a = this.appointments.get(id);
    if (a) a.deleted = true;
  }

  /** Seeds `count` appointments spread over contacts `contactIds` with a realistic status mix. */
  generateAppointments(input: {
    locationId: string;
    contactIds: readonly string[];
    count: number;
    from: TimeInput;
    days: number;
  }): GhlSimAppointment[] {
    const statuses = ['confirmed', 'confirmed', 'confirmed', 'new', 'cancelled', 'showed', 'noshow'];
    const from = toMs(input.from);
    return Array.from({ length: input.count }, () =>
      this.addAppointment({
        locationId: input.locationId,
        contactId: this.random.pick(input.contactIds),
        startTime: from + this.random.int(0, input.days * 48) * 30 * 60_000,
        appointmentStatus: this.random.pick(statuses),
        dateAdded: from - this.random.int(1, 14) * 86_400_000,
      }),
    );
  }

  private zone(locationId: string): string {
    return this.locations.get(locationId)?.timeZone ?? 'UTC';
  }

  private contactRow(a: GhlSimAppointment): unknown {
    const tz = this.zone(a.locationId);
    return {
      id: a.id,
      calendarId: a.calendarId,
      status: 'booked',
      title: 'Discovery call',
      assignedUserId: a.assignedUserId,
      notes: '',
      startTime: naiveLocal(a.startMs, tz),
      endTime: naiveLocal(a.endMs, tz),
      address: `https://meet.example.com/${a.id}`,
      locationId: a.locationId,
      contactId: a.contactId,
      groupId: a.groupId,
      appointmentStatus: a.appointmentStatus,
      users: [a.assignedUserId],
      dateAdded: naiveLocal(a.dateAddedMs, tz),
      dateUpdated: naiveLocal(a.dateUpdatedMs, tz),
      assignedResources: [],
    };
  }

  private eventDto(a: GhlSimAppointment): unknown {
    const tz = this.zone(a.locationId);
    return {
      id: a.id,
      address: `https://meet.example.com/${a.id}`,
      title: 'Discovery call',
      calendarId: a.calendarId,
      locationId: a.locationId,
      contactId: a.contactId,
      groupId: a.groupId,
      appointmentStatus: a.appointmentStatus,
      assignedUserId: a.assignedUserId,
      users: [a.assignedUserId],
      notes: '',
      description: '',
      isRecurring: false,
      startTime: isoWithOffset(a.startMs, tz),
      endTime: isoWithOffset(a.endMs, tz),
      dateAdded: isoWithOffset(a.dateAddedMs, tz),
      dateUpdated: isoWithOffset(a.dateUpdatedMs, tz),
      assignedResources: [],
      createdBy: { source: 'booking_widget' },
    };
  }

  private traceId(): string {
    return this.random.uuid();
  }

  private route(req: SimRequest): SimResponse {
    const [a, b, c, d] = req.segments;
    const version = req.headers.version;
    const live = () => [...this.appointments.values()].filter((x) => x.locationId === req.account && !x.deleted);
    if (a === 'contacts' && b && c === 'appointments' && d === undefined) {
      if (version !== '2021-07-28') return { status: 400, body: ghlError(400) };
      const events = (this.byContact.get(`${req.account}\u0000${b}`) ?? [])
        .filter((x) => !x.deleted)
        .sort((p, q) => p.startMs - q.startMs);
      return { status: 200, body: { events: events.map((x) => this.contactRow(x)), traceId: this.traceId() } };
    }
    if (a === 'calendars' && b === 'events' && c === undefined) {
      const q = req.query;
      if (version !== '2021-04-15' || q.get('locationId') !== req.account) return { status: 400, body: ghlError(400) };
      const start = Number(q.get('startTime'));
      const end = Number(q.get('endTime'));
      const filter = q.get('calendarId')
        ? 'calendarId'
        : q.get('userId')
          ? 'assignedUserId'
          : q.get('groupId')
            ? 'groupId'
            : null;
      if (!filter || !Number.isFinite(start) || !Number.isFinite(end)) return { status: 422, body: ghlError(422) };
      const key = filter === 'calendarId' ? 'calendarId' : filter === 'assignedUserId' ? 'userId' : 'groupId';
      const events = live().filter((x) => x[filter] === q.get(key) && x.startMs < end && x.endMs > start);
      return { status: 200, body: { events: events.map((x) => this.eventDto(x)), traceId: this.traceId() } };
    }
    if (a === 'calendars' && b === 'events' && c === 'appointments' && d) {
      const found = this.appointments.get(d);
      const appt = found !== undefined && found.locationId === req.account && !found.deleted ? found : undefined;
      if (!appt) return { status: 404, body: ghlError(404) };
      return { status: 200, body: { event: this.eventDto(appt), traceId: this.traceId() } };
    }
    if (a === 'locations' && b && c === undefined) {
      if (b !== req.account)
        return { status: 403, body: { statusCode: 403, message: 'The token does not have access to this location.' } };
      return {
        status: 200,
        body: { location: { id: b, name: 'Simulated location', timezone: this.zone(b) }, traceId: this.traceId() },
      };
    }
    return { status: 404, body: ghlError(404) };
  }
}
