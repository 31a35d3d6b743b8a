/**
 * Calendly webhook deliveries as Calendly would send them (for `recon demo`, fault runs and tests),
 * shaped like Calendly's `invitee.created`, `invitee.canceled` (a reschedule's too: `rescheduled`,
 * `new_invitee`, `old_invitee`) and `invitee_no_show.created` (as in ../shared/fixtures/calendly)
 * and signed the way Calendly signs:
 * `Calendly-Webhook-Signature: t=<unix>,v1=<HMAC-SHA256(key, t + "." + body)>`.
 */
import { createHmac } from 'node:crypto';

export interface CalendlyDemoBooking {
  readonly eventUri: string;
  readonly inviteeUri: string;
  readonly email: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly createdMs: number;
  /** The invitee's name as Calendly shows it (default "Demo Invitee"). */
  readonly name?: string;
  /** The invitee this one replaced (a reschedule's new invitee). */
  readonly oldInviteeUri?: string;
  /** The invitee that replaced this one: its `invitee.canceled` is a reschedule (`rescheduled: true`). */
  readonly newInviteeUri?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function calendlyInviteePayload(
  kind: 'invitee.created' | 'invitee.canceled' | 'invitee_no_show.created',
  b: CalendlyDemoBooking,
  atMs: number,
): Record<string, unknown> {
  const canceled = kind === 'invitee.canceled';
  const name = b.name ?? 'Demo Invitee';
  const rescheduled = canceled && b.newInviteeUri !== undefined;
  const cancellation = canceled
    ? { canceled_by: name, reason: rescheduled ? null : 'demo', canceler_type: 'invitee', created_at: iso(atMs) }
    : null;
  const noShow = kind === 'invitee_no_show.created';
  return {
    event: kind,
    created_at: iso(atMs),
    created_by: 'https://api.calendly.com/users/00000000-0000-4000-8000-000000000001',
    payload: {
      uri: b.inviteeUri,
      email: b.email,
      first_name: null,
      last_name: null,
      name,
      status: canceled ? 'canceled' : 'active',
      questions_and_answers: [],
      timezone: 'UTC',
      event: b.eventUri,
      created_at: iso(b.createdMs),
      updated_at: iso(canceled || noShow ? atMs : b.createdMs),
      tracking: {
        utm_campaign: null,
        utm_source: null,
        utm_medium: null,
        utm_content: null,
        utm_term: null,
        salesforce_uuid: null,
      },
      text_reminder_number: null,
      rescheduled,
      old_invitee: b.oldInviteeUri ?? null,
      new_invitee: rescheduled ? (b.newInviteeUri ?? null) : null,
      cancel_url: 'https://calendly.com/cancellations/demo',
      reschedule_url: 'https://calendly.com/reschedulings/demo',
      routing_form_submission: null,
      payment: null,
      no_show: noShow
        ? {
            uri: 'https://api.calendly.com/invitee_no_shows/00000000-0000-4000-8000-000000000003',
            created_at: iso(atMs),
          }
        : null,
      reconfirmation: null,
      scheduling_method: null,
      invitee_scheduled_by: null,
      cancellation,
      scheduled_event: {
        uri: b.eventUri,
        name: '30 Minute Discovery Call',
        meeting_notes_plain: null,
        meeting_notes_html: null,
        status: canceled ? 'canceled' : 'active',
        start_time: iso(b.startMs),
        end_time: iso(b.endMs),
        event_type: 'https://api.calendly.com/event_types/00000000-0000-4000-8000-000000000002',
        location: { type: 'google_conference', status: 'pushed', join_url: 'https://meet.example.com/demo' },
        invitees_counter: { total: 1, active: canceled ? 0 : 1, limit: 1 },
        created_at: iso(b.createdMs),
        updated_at: iso(canceled ? atMs : b.createdMs),
        event_memberships: [
          {
            user: 'https://api.calendly.com/users/00000000-0000-4000-8000-000000000001',
            user_email: 'host@demo.example',
            user_name: 'Demo Host',
          },
        ],
        event_guests: [],
        ...(canceled ? { cancellation } : {}),
      },
    },
  };
}

export function signCalendlyBody(body: string, key: string, tSeconds: number): string {
  const v1 = createHmac('sha256', key).update(`${tSeconds}.`).update(body).digest('hex');
  return `t=${tSeconds},v1=${v1}`;
}
