/** The Calendly simulator's records and their JSON renderings (field names as calendly.md §2). */
import { calendlyTime } from './zoned-time-format';

export interface CalendlySimCancellation {
  readonly canceler_type: 'host' | 'invitee';
  readonly createdMs: number;
}

export interface CalendlySimEvent {
  readonly uuid: string;
  readonly organizationUri: string;
  status: 'active' | 'canceled';
  startMs: number;
  endMs: number;
  readonly createdMs: number;
  updatedMs: number;
  readonly guests: string[];
  cancellation: CalendlySimCancellation | null;
}

export interface CalendlySimInvitee {
  readonly uuid: string;
  readonly eventUuid: string;
  readonly email: string;
  status: 'active' | 'canceled';
  readonly createdMs: number;
  updatedMs: number;
  rescheduled: boolean;
  readonly oldInviteeUri: string | null;
  newInviteeUri: string | null;
  cancellation: CalendlySimCancellation | null;
  readonly utmContent: string | null;
  readonly utmTerm: string | null;
  noShow: { uuid: string; createdMs: number } | null;
}

function cancellation(c: CalendlySimCancellation | null): unknown {
  if (!c) return undefined;
  return {
    canceled_by: c.canceler_type === 'host' ? 'Simulated Host' : 'Simulated Invitee',
    reason: null,
    canceler_type: c.canceler_type,
    created_at: calendlyTime(c.createdMs),
  };
}

export function eventResource(e: CalendlySimEvent, base: string): unknown {
  return {
    uri: `${base}/scheduled_events/${e.uuid}`,
    name: '30 Minute Discovery Call',
    meeting_notes_plain: null,
    meeting_notes_html: null,
    status: e.status,
    start_time: calendlyTime(e.startMs),
    end_time: calendlyTime(e.endMs),
    event_type: `${base}/event_types/a3e8c4a0-b037-4da4-afe3-fbb82518963b`,
    location: {
      type: 'google_conference',
      status: 'pushed',
      join_url: `https://meet.example.com/${e.uuid.slice(0, 8)}`,
    },
    invitees_counter: { total: 1, active: e.status === 'active' ? 1 : 0, limit: 1 },
    created_at: calendlyTime(e.createdMs),
    updated_at: calendlyTime(e.updatedMs),
    event_memberships: [
      {
        user: `${base}/users/46d13dbc-2ab7-43a1-9693-a715f0a5f038`,
        user_email: 'host@example.com',
        user_name: 'Simulated Host',
      },
    ],
    event_guests: e.guests.map((email) => ({
      email,
      created_at: calendlyTime(e.createdMs),
      updated_at: calendlyTime(e.createdMs),
    })),
    ...(e.cancellation ? { cancellation: cancellation(e.cancellation) } : {}),
  };
}

export function inviteeResource(i: CalendlySimInvitee, base: string): unknown {
  return {
    uri: `${base}/scheduled_events/${i.eventUuid}/invitees/${i.uuid}`,
    email: i.email,
    first_name: null,
    last_name: null,
    name: 'Simulated Invitee',
    status: i.status,
    questions_and_answers: [],
    timezone: 'America/New_York',
    event: `${base}/scheduled_events/${i.eventUuid}`,
    created_at: calendlyTime(i.createdMs),
    updated_at: calendlyTime(i.updatedMs),
    tracking: {
      utm_campaign: null,
      utm_source: null,
      utm_medium: null,
      utm_content: i.utmContent,
      utm_term: i.utmTerm,
      salesforce_uuid: null,
    },
    text_reminder_number: null,
    rescheduled: i.rescheduled,
    old_invitee: i.oldInviteeUri,
    new_invitee: i.newInviteeUri,
    cancel_url: `https://calendly.com/cancellations/${i.uuid}`,
    reschedule_url: `https://calendly.com/reschedulings/${i.uuid}`,
    routing_form_submission: null,
    payment: null,
    no_show: i.noShow
      ? { uri: `${base}/invitee_no_shows/${i.noShow.uuid}`, created_at: calendlyTime(i.noShow.createdMs) }
      : null,
    reconfirmation: null,
    scheduling_method: null,
    invitee_scheduled_by: null,
    ...(i.cancellation ? { cancellation: cancellation(i.cancellation) } : {}),
  };
}
