/**
 * The Cal.com simulator's records and their API v2 rendering (`BookingOutput_2024_08_13`, field
 * names and value formats as docs/providers/calcom.md §9.3 and the `bookings-list.json` fixture).
 */

export type CalcomSimStatus = 'accepted' | 'pending' | 'cancelled' | 'rejected';

export interface CalcomSimAttendee {
  readonly name: string;
  readonly email: string;
  absent: boolean;
}

export interface CalcomSimBooking {
  readonly id: number;
  readonly uid: string;
  /** The organizer's user id: the booking is visible to that user's tokens. */
  readonly hostUserId: number;
  readonly hostEmail: string;
  status: CalcomSimStatus;
  readonly startMs: number;
  readonly endMs: number;
  readonly createdMs: number;
  updatedMs: number;
  readonly attendees: CalcomSimAttendee[];
  readonly guests: string[];
  cancelledByEmail: string | null;
  readonly rescheduledFromUid: string | null;
  rescheduledToUid: string | null;
  readonly metadata: Record<string, string>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function bookingResource(b: CalcomSimBooking): Record<string, unknown> {
  const booker = b.attendees[0];
  return {
    id: b.id,
    uid: b.uid,
    title: 'Discovery Call (simulated)',
    description: '',
    hosts: [
      {
        id: b.hostUserId,
        name: 'Simulated Host',
        email: b.hostEmail,
        username: `host-${b.hostUserId}`,
        timeZone: 'America/New_York',
      },
    ],
    status: b.status,
    ...(b.status === 'cancelled' ? { cancellationReason: null, cancelledByEmail: b.cancelledByEmail } : {}),
    ...(b.rescheduledToUid !== null ? { rescheduledToUid: b.rescheduledToUid } : {}),
    ...(b.rescheduledFromUid !== null ? { rescheduledFromUid: b.rescheduledFromUid } : {}),
    rescheduledByEmail: null,
    start: iso(b.startMs),
    end: iso(b.endMs),
    duration: Math.round((b.endMs - b.startMs) / 60_000),
    eventTypeId: 770001,
    eventType: { id: 770001, slug: 'discovery-call' },
    meetingUrl: `https://cal.example.com/video/${b.uid}`,
    location: `https://cal.example.com/video/${b.uid}`,
    absentHost: false,
    createdAt: iso(b.createdMs),
    updatedAt: iso(b.updatedMs),
    metadata: { ...b.metadata },
    rating: null,
    icsUid: `${b.uid}@Cal.com`,
    attendees: b.attendees.map((a) => ({
      name: a.name,
      email: a.email,
      timeZone: 'America/Chicago',
      language: 'en',
      absent: a.absent,
    })),
    guests: [...b.guests],
    bookingFieldsResponses: {
      name: booker?.name ?? '',
      email: booker?.email ?? '',
      guests: [...b.guests],
      location: { value: 'integrations:daily', optionValue: '' },
    },
  };
}

/** The error envelope of API v2 (`{status: "error", timestamp, path, error: {code, message, details}}`). */
export function calcomError(status: number, path = '/v2/bookings'): unknown {
  const errors: Record<number, [string, string]> = {
    400: ['BadRequestException', 'Bad Request'],
    401: ['UnauthorizedException', 'CustomThrottlerGuard - Invalid API Key'],
    403: ['ForbiddenException', 'Forbidden resource'],
    404: ['NotFoundException', 'Cannot GET the requested resource'],
    405: ['MethodNotAllowedException', 'The simulator is read-only'],
    429: ['ThrottlerException', 'CustomThrottlerGuard - Too many requests. Please try again later.'],
  };
  const [code, message] = errors[status] ?? ['InternalServerErrorException', 'Internal server error'];
  const details = status === 429 ? message : { message, error: code.replace(/Exception$/, ''), statusCode: status };
  return { status: 'error', timestamp: new Date().toISOString(), path, error: { code, message, details } };
}
