/**
 * Test support for the delivery storm (issue 11): a seeded, replayable plan of leads and of the
 * Calendly and GHL webhook deliveries a real account would send about them — bookings, cancels,
 * reschedules (a Calendly pair in either order), GHL updates and deletes, no-shows — each with
 * provider times that grow per appointment, in the order the providers sent them. Bodies are the
 * documented payload shapes (../shared/fixtures); emails are fake (`example.com`).
 */
import { seededRandom, shuffle } from '@recon/domain/testing';

export const STORM_LOCATION_ID = 'StormLoc000000000001';

export interface StormLead {
  readonly id: string;
  readonly email: string;
  readonly ghlContactId: string;
  readonly sentiment: { readonly label: string; readonly classifiedAt: string } | null;
}

export interface StormDelivery {
  readonly provider: 'calendly' | 'ghl';
  readonly leadId: string;
  /** What it is, for reports: `calendly:reschedule`, `ghl:AppointmentDelete`, … */
  readonly kind: string;
  readonly body: string;
}

export interface StormPlan {
  readonly leads: readonly StormLead[];
  /** Every unique delivery once, in the order the providers sent them. */
  readonly deliveries: readonly StormDelivery[];
  /** Scenario names per provider (report). */
  readonly scenarios: Readonly<Record<string, number>>;
}

/** Re-exported for the storm test: the one replayable randomness of the test toolkit. */
export { seededRandom, shuffle };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

interface Timed extends StormDelivery {
  readonly at: number;
}

interface Invitee {
  readonly uri: string;
  readonly eventUri: string;
  readonly startMs: number;
  readonly createdMs: number;
}

function calendlyBody(
  event: 'invitee.created' | 'invitee.canceled' | 'invitee_no_show.created',
  lead: StormLead,
  inv: Invitee,
  o: {
    updatedMs: number;
    canceled?: boolean;
    rescheduled?: boolean;
    oldInvitee?: string | null;
    newInvitee?: string | null;
    noShowMs?: number;
  },
): string {
  const canceled = o.canceled === true;
  const cancellation = canceled
    ? { canceled_by: 'Storm Lead', reason: null, canceler_type: 'invitee', created_at: iso(o.updatedMs) }
    : null;
  return JSON.stringify({
    event,
    created_at: iso(o.noShowMs ?? o.updatedMs + 1000),
    created_by: 'https://api.calendly.com/users/storm-owner',
    payload: {
      uri: inv.uri,
      email: lead.email,
      first_name: null,
      last_name: null,
      name: 'Storm Lead',
      status: canceled ? 'canceled' : 'active',
      questions_and_answers: [],
      timezone: 'UTC',
      event: inv.eventUri,
      created_at: iso(inv.createdMs),
      updated_at: iso(o.updatedMs),
      tracking: null,
      text_reminder_number: null,
      rescheduled: o.rescheduled === true,
      old_invitee: o.oldInvitee ?? null,
      new_invitee: o.newInvitee ?? null,
      cancellation,
      no_show: o.noShowMs === undefined ? null : { uri: `${inv.uri}/no_show`, created_at: iso(o.noShowMs) },
      scheduled_event: {
        uri: inv.eventUri,
        name: 'Discovery call',
        status: canceled ? 'canceled' : 'active',
        start_time: iso(inv.startMs),
        end_time: iso(inv.startMs + 30 * 60_000),
        event_type: null,
        created_at: iso(inv.createdMs),
        updated_at: iso(o.updatedMs),
        event_guests: [],
        cancellation,
      },
    },
  });
}

function ghlBody(
  type: 'AppointmentCreate' | 'AppointmentUpdate' | 'AppointmentDelete',
  lead: StormLead,
  a: { id: string; status: string; startMs: number; addedMs: number; updatedMs: number },
  timestampMs: number,
  n: number,
): string {
  return JSON.stringify({
    type,
    locationId: STORM_LOCATION_ID,
    appointment: {
      id: a.id,
      title: 'Discovery call',
      calendarId: 'StormCal000000000001',
      contactId: lead.ghlContactId,
      groupId: 'StormGrp000000000001',
      appointmentStatus: a.status,
      assignedUserId: 'StormUsr000000000001',
      users: ['StormUsr000000000001'],
      notes: '',
      source: 'booking_widget',
      startTime: iso(a.startMs),
      endTime: iso(a.startMs + 30 * 60_000),
      dateAdded: iso(a.addedMs),
      dateUpdated: iso(a.updatedMs),
    },
    timestamp: iso(timestampMs),
    webhookId: `00000000-0000-4000-8000-${hex(n, 12)}`,
  });
}

const CALENDLY_SCENARIOS = ['book', 'cancel', 'reschedule', 'reschedule', 'noshow', 'reschedule-cancel'] as const;
const GHL_SCENARIOS = [
  'book',
  'reschedule',
  'cancel',
  'delete',
  'noshow',
  'showed',
  'reschedule-cancel',
  'reschedule-noshow',
] as const;

/**
 * At least `deliveries` unique deliveries (leads are added until there are; each lead gets one
 * Calendly and one GHL story, about 4.6 deliveries). `now` is the receiving app's clock: provider
 * times lie in the ten days before it, meetings in the three weeks after.
 */
export function stormPlan(input: { deliveries: number; now: Date; seed: number }): StormPlan {
  const random = seededRandom(input.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const nowMs = input.now.getTime();
  const leads: StormLead[] = [];
  const out: Timed[] = [];
  const scenarios: Record<string, number> = {};
  let n = 0;
  for (let i = 0; out.length < input.deliveries; i++) {
    const roll = random();
    const lead: StormLead = {
      id: `storm-lead-${i}`,
      email: `storm.lead.${i}@example.com`,
      ghlContactId: `StormCon${hex(i, 12)}`,
      sentiment:
        roll < 0.4
          ? { label: 'Meeting Booked', classifiedAt: iso(nowMs - 12 * DAY) }
          : roll < 0.7
            ? { label: 'Interested', classifiedAt: iso(nowMs - 12 * DAY) }
            : null,
    };
    leads.push(lead);
    const push = (provider: 'calendly' | 'ghl', kind: string, at: number, body: string) =>
      out.push({ provider, leadId: lead.id, kind, body, at });

    const cal = pick(CALENDLY_SCENARIOS);
    scenarios[`calendly:${cal}`] = (scenarios[`calendly:${cal}`] ?? 0) + 1;
    {
      let t = nowMs - 10 * DAY + Math.floor(random() * 5 * DAY);
      const a: Invitee = {
        uri: `https://api.calendly.com/scheduled_events/${hex(i, 8)}-0000-4000-8000-00000000000a/invitees/${hex(i, 8)}-1111-4000-8000-00000000000a`,
        eventUri: `https://api.calendly.com/scheduled_events/${hex(i, 8)}-0000-4000-8000-00000000000a`,
        startMs: nowMs + (1 + Math.floor(random() * 20)) * DAY,
        createdMs: t,
      };
      push('calendly', 'calendly:created', t, calendlyBody('invitee.created', lead, a, { updatedMs: t }));
      t += HOUR + Math.floor(random() * DAY);
      if (cal === 'cancel')
        push(
          'calendly',
          'calendly:canceled',
          t,
          calendlyBody('invitee.canceled', lead, a, { updatedMs: t, canceled: true }),
        );
      if (cal === 'noshow')
        push(
          'calendly',
          'calendly:no-show',
          t,
          calendlyBody('invitee_no_show.created', lead, a, { updatedMs: t, noShowMs: t + 500 }),
        );
      if (cal === 'reschedule' || cal === 'reschedule-cancel') {
        const b: Invitee = {
          uri: `https://api.calendly.com/scheduled_events/${hex(i, 8)}-0000-4000-8000-00000000000b/invitees/${hex(i, 8)}-1111-4000-8000-00000000000b`,
          eventUri: `https://api.calendly.com/scheduled_events/${hex(i, 8)}-0000-4000-8000-00000000000b`,
          startMs: a.startMs + DAY,
          createdMs: t,
        };
        const old = calendlyBody('invitee.canceled', lead, a, {
          updatedMs: t,
          canceled: true,
          rescheduled: true,
          newInvitee: b.uri,
        });
        const next = calendlyBody('invitee.created', lead, b, { updatedMs: t + 30, oldInvitee: a.uri });
        const newFirst = random() < 0.5;
        push('calendly', newFirst ? 'calendly:rescheduled-new' : 'calendly:rescheduled-old', t, newFirst ? next : old);
        push(
          'calendly',
          newFirst ? 'calendly:rescheduled-old' : 'calendly:rescheduled-new',
          t + 1,
          newFirst ? old : next,
        );
        if (cal === 'reschedule-cancel') {
          t += HOUR + Math.floor(random() * DAY);
          push(
            'calendly',
            'calendly:canceled',
            t,
            calendlyBody('invitee.canceled', lead, b, { updatedMs: t, canceled: true, oldInvitee: a.uri }),
          );
        }
      }
    }

    const ghl = pick(GHL_SCENARIOS);
    scenarios[`ghl:${ghl}`] = (scenarios[`ghl:${ghl}`] ?? 0) + 1;
    {
      const added = nowMs - 10 * DAY + Math.floor(random() * 5 * DAY);
      const appt = {
        id: `StormApt${hex(i, 12)}`,
        status: 'confirmed',
        startMs: nowMs + (1 + Math.floor(random() * 20)) * DAY + 2 * HOUR,
        addedMs: added,
        updatedMs: added,
      };
      push('ghl', 'ghl:AppointmentCreate', added, ghlBody('AppointmentCreate', lead, appt, added + 800, ++n));
      const update = (patch: Partial<typeof appt>) => {
        Object.assign(appt, { ...patch, updatedMs: appt.updatedMs + HOUR + Math.floor(random() * DAY) });
        push(
          'ghl',
          `ghl:AppointmentUpdate:${appt.status}`,
          appt.updatedMs,
          ghlBody('AppointmentUpdate', lead, appt, appt.updatedMs + 800, ++n),
        );
      };
      if (ghl === 'reschedule' || ghl === 'reschedule-cancel' || ghl === 'reschedule-noshow')
        update({ startMs: appt.startMs + 2 * DAY });
      if (ghl === 'cancel' || ghl === 'reschedule-cancel') update({ status: 'cancelled' });
      if (ghl === 'noshow' || ghl === 'reschedule-noshow') update({ status: 'noshow' });
      if (ghl === 'showed') update({ status: 'showed' });
      if (ghl === 'delete') {
        const at = appt.updatedMs + HOUR + Math.floor(random() * DAY);
        push('ghl', 'ghl:AppointmentDelete', at, ghlBody('AppointmentDelete', lead, appt, at, ++n));
      }
    }
  }
  out.sort((x, y) => x.at - y.at);
  return { leads, deliveries: out.map(({ at: _at, ...d }) => d), scenarios };
}
