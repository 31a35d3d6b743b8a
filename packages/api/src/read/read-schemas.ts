/**
 * The read API's JSON contract as zod schemas (camelCase, ISO-8601 UTC). The same schemas validate
 * requests, serialize responses and generate the OpenAPI document, with examples.
 */
import { DELIVERIES_EXAMPLE, DeliveriesByProvider } from './delivery-schemas';
import { z } from 'zod';

/** Response lists are readonly (the projections' query results are). */
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

const iso = z.string().meta({ format: 'date-time', examples: ['2030-06-18T15:00:00.000Z'] });
const LEAD_ID = 'lead-42';

export const WsParams = z.object({ ws: z.string().min(1).max(64) });
export const LeadParams = WsParams.extend({ leadId: z.string().min(1).max(200) });
export const TaskParams = WsParams.extend({ taskId: z.string().min(1).max(200) });

export const BOOKING_STATE_VALUES = ['unknown', 'not_booked', 'booked', 'canceled', 'completed', 'no_show'] as const;
export const TASK_KIND_VALUES = [
  'meeting-canceled',
  'meeting-rescheduled',
  'meeting-no-show',
  'meeting-outcome-unknown',
  'label-unverified',
  'meeting-reschedule-unconfirmed',
] as const;
export const TASK_SEVERITY_VALUES = ['red', 'amber'] as const;
export const GRADE_VALUES = [
  'provider_confirmed',
  'provider_pending',
  'label_only',
  'contradicted',
  'unverified',
] as const;
export const MISMATCH_KIND_VALUES = [
  'sentiment_booked_no_evidence',
  'evidence_not_marked_booked',
  'canceled_but_booked_status',
] as const;

/** `?minPosition=` on every read: read-your-writes (see min-position.ts). */
export const ReadQuery = z.object({ minPosition: z.string().min(1).max(100).optional() });
const PageQuery = ReadQuery.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1000).optional(),
});
export const LeadsQuery = PageQuery.extend({ state: z.enum(BOOKING_STATE_VALUES) });
export const MismatchesQuery = PageQuery.extend({ kind: z.enum(MISMATCH_KIND_VALUES).optional() });
export const TasksQuery = PageQuery.extend({
  status: z.enum(['open', 'resolved']).default('open'),
  kind: z.enum(TASK_KIND_VALUES).optional(),
  severity: z.enum(TASK_SEVERITY_VALUES).optional(),
  leadId: z.string().min(1).max(200).optional(),
});

export const Sentiment = z
  .object({ label: z.string(), classifiedAt: iso })
  .nullable()
  .meta({ examples: [{ label: 'Meeting Booked', classifiedAt: '2030-06-01T10:00:00.000Z' }] });
export const Appointment = z
  .object({ provider: z.string(), providerAppointmentId: z.string(), status: z.string(), startAt: iso, endAt: iso })
  .nullable();
export const Gate = z
  .object({ mayEnroll: z.boolean(), mustPause: z.boolean(), reason: z.string() })
  .meta({ examples: [{ mayEnroll: false, mustPause: true, reason: 'booked' }] });

export const Lead = z
  .object({
    leadId: z.string(),
    state: z.enum(BOOKING_STATE_VALUES),
    assumed: z.boolean(),
    grade: z
      .enum(GRADE_VALUES)
      .describe(
        'How far the booking is proven: a live provider appointment (confirmed), a reschedule whose new booking is not seen yet (pending), a booked label not checked since (label_only), a booked label every provider answered against since (contradicted), or nothing (unverified)',
      ),
    evidence: list(z.string()).describe('Store event ids the grade rests on (empty when unverified)'),
    sentiment: Sentiment,
    appointment: Appointment,
    checks: list(z.object({ provider: z.string(), checkedAt: iso, outcome: z.unknown() })),
    mismatches: list(z.object({ kind: z.string(), since: iso })),
    openTasks: list(z.object({ id: z.string(), kind: z.string(), severity: z.string() })),
    gate: Gate.nullable(),
    lastInboundAt: iso.nullable(),
    lastMessageDirection: z.string().nullable(),
    /** The lead's signed booking token: the CRM puts it in the lead's booking links as `utm_content`. */
    bookingToken: z.string().describe('`recon:<leadId>.<mac>`: put it in the lead’s booking links as utm_content'),
  })
  .meta({
    examples: [
      {
        leadId: LEAD_ID,
        state: 'canceled',
        assumed: false,
        grade: 'contradicted',
        evidence: ['4f2a9c1e-6b1d-5e7a-9c3b-0d8e2f1a7b65', '9d3e7b20-1c4f-5a8e-b6d2-7f0a3c9e1b48'],
        sentiment: { label: 'Meeting Booked', classifiedAt: '2030-06-01T10:00:00.000Z' },
        appointment: {
          provider: 'ghl',
          providerAppointmentId: 'appt-1',
          status: 'canceled',
          startAt: '2030-06-18T15:00:00.000Z',
          endAt: '2030-06-18T15:30:00.000Z',
        },
        checks: [{ provider: 'ghl', checkedAt: '2030-06-02T08:00:00.000Z', outcome: { kind: 'found', count: 1 } }],
        mismatches: [{ kind: 'canceled_but_booked_status', since: '2030-06-02T08:00:00.000Z' }],
        openTasks: [{ id: '0b9f…', kind: 'meeting-canceled', severity: 'red' }],
        gate: { mayEnroll: false, mustPause: true, reason: 'canceled' },
        lastInboundAt: null,
        lastMessageDirection: null,
        bookingToken: `recon:${LEAD_ID}.qN4k1yO3z9bqV0sZt6mWzA`,
      },
    ],
  });

const HistoryItem = z.object({
  eventId: z.string(),
  eventType: z.string(),
  source: z.string(),
  observedAt: iso,
  providerUpdatedAt: iso.nullable(),
  startAt: iso,
  endAt: iso,
  statusAfter: z.string(),
});
export const AppointmentWithHistory = z.object({
  provider: z.string(),
  providerAppointmentId: z.string(),
  leadId: z.string().nullable(),
  /** How the booking found its lead (email, guest, utm, reschedule, manual…); null while unmatched. */
  matchedBy: z.string().nullable(),
  status: z.string(),
  startAt: iso,
  endAt: iso,
  source: z.string(),
  rescheduledFrom: z.string().nullable(),
  rescheduledTo: z.string().nullable(),
  /** One id for every appointment of one reschedule chain: the providerAppointmentId of its first booking. */
  meetingChainId: z.string(),
  /** How many times the meeting was set: 1 + the chain's reschedules (new bookings and moves of one id). */
  chainLength: z.number().int().min(1),
  /** Some reschedule in the chain was made (provider's update time) after the start it moved. */
  rescheduledAfterStart: z.boolean(),
  firstObservedAt: iso,
  lastObservedAt: iso,
  history: list(HistoryItem),
  /** Whether the meeting took place and who said so (`manual`: an operator); null without a signal. */
  attendance: z.object({ attended: z.boolean(), source: z.string(), recordedAt: iso }).nullable(),
});
export const LeadAppointments = z.object({ leadId: z.string(), items: list(AppointmentWithHistory) }).meta({
  examples: [
    {
      leadId: LEAD_ID,
      items: [
        {
          provider: 'ghl',
          providerAppointmentId: 'appt-1',
          leadId: LEAD_ID,
          matchedBy: 'email',
          status: 'rescheduled',
          startAt: '2030-06-18T15:00:00.000Z',
          endAt: '2030-06-18T15:30:00.000Z',
          source: 'webhook',
          rescheduledFrom: null,
          rescheduledTo: 'appt-2',
          meetingChainId: 'appt-1',
          chainLength: 2,
          rescheduledAfterStart: false,
          firstObservedAt: '2030-06-01T10:00:00.000Z',
          lastObservedAt: '2030-06-03T10:00:00.000Z',
          history: [
            {
              eventId: 'e1',
              eventType: 'AppointmentBooked',
              source: 'webhook',
              observedAt: '2030-06-01T10:00:00.000Z',
              providerUpdatedAt: null,
              startAt: '2030-06-18T15:00:00.000Z',
              endAt: '2030-06-18T15:30:00.000Z',
              statusAfter: 'scheduled',
            },
          ],
          attendance: null,
        },
      ],
    },
  ],
});

const LeadSummary = Lead.omit({ mismatches: true, openTasks: true, gate: true, bookingToken: true });
export const LeadPage = z
  .object({ items: list(LeadSummary), nextCursor: z.string().nullable() })
  .meta({ examples: [{ items: [], nextCursor: null }] });

export const MismatchItem = z.object({
  leadId: z.string(),
  kind: z.string(),
  since: iso,
  sentiment: z.object({ label: z.string(), classifiedAt: iso.nullable() }).nullable(),
  lastInboundAt: iso.nullable(),
  lastMessageDirection: z.string().nullable(),
  evidence: z.unknown(),
  autoCorrected: z.boolean(),
});
export const MismatchPage = z.object({ items: list(MismatchItem), nextCursor: z.string().nullable() }).meta({
  examples: [
    {
      items: [
        {
          leadId: LEAD_ID,
          kind: 'sentiment_booked_no_evidence',
          since: '2030-06-02T08:00:00.000Z',
          sentiment: { label: 'Meeting Booked', classifiedAt: '2030-06-01T10:00:00.000Z' },
          lastInboundAt: '2030-06-01T09:58:00.000Z',
          lastMessageDirection: 'inbound',
          evidence: { appointments: 0, checked: ['ghl'] },
          autoCorrected: false,
        },
      ],
      nextCursor: 'WyIyMDMwLTA2LTAyVDA4OjAwOjAwLjAwMFoiLCJsZWFkLTQyIiwic2VudGltZW50X2Jvb2tlZF9ub19ldmlkZW5jZSJd',
    },
  ],
});

export const TaskItem = z.object({
  id: z.string(),
  leadId: z.string(),
  kind: z.string(),
  severity: z.string(),
  status: z.string(),
  appointmentId: z.string(),
  provider: z.string(),
  createdAt: iso,
  resolvedAt: iso.nullable(),
  /**
   * Who closed it: the operator key's id, `admin`, or `recon` when recon ended a review whose
   * situation no longer stands (the note then says which: e.g. `RESCHEDULE_REVIEW_ENDED`).
   */
  resolvedBy: z.string().nullable(),
  note: z.string().nullable(),
});
const taskExample = {
  id: '5c0e…',
  leadId: LEAD_ID,
  kind: 'meeting-canceled',
  severity: 'red',
  status: 'open',
  appointmentId: 'appt-1',
  provider: 'ghl',
  createdAt: '2030-06-02T08:00:00.000Z',
  resolvedAt: null,
  resolvedBy: null,
  note: null,
};
export const TaskPage = z
  .object({ items: list(TaskItem), nextCursor: z.string().nullable() })
  .meta({ examples: [{ items: [taskExample], nextCursor: null }] });
export const ResolveBody = z
  .object({ note: z.string().max(2000).optional() })
  .meta({ examples: [{ note: 'Called the lead, rebooked for Friday' }] });
export const ResolveResult = TaskItem.extend({ alreadyResolved: z.boolean(), position: z.string().nullable() }).meta({
  examples: [
    {
      ...taskExample,
      status: 'resolved',
      resolvedAt: '2030-06-02T09:00:00.000Z',
      resolvedBy: 'key_01HZX3V9',
      alreadyResolved: false,
      position: '812:1042',
    },
  ],
});

/** `leads:search`: by email (hashed on the server, never stored or logged) or by lead id prefix. */
export const LeadSearchBody = z
  .union([
    z.strictObject({
      email: z
        .string()
        .trim()
        .min(3)
        .max(320)
        .regex(/^[^@\s]+@[^@\s]+$/, 'EMAIL_INVALID'),
    }),
    z.strictObject({ leadIdPrefix: z.string().min(1).max(200) }),
  ])
  .meta({ examples: [{ email: 'jordan@example.com' }, { leadIdPrefix: 'lead-4' }] });
export const LeadSearchResult = z.object({ items: list(LeadSummary) }).meta({ examples: [{ items: [] }] });

export const GatesQueryBody = z
  .object({ leadIds: z.array(z.string().min(1).max(200)).min(1).max(1000) })
  .meta({ examples: [{ leadIds: [LEAD_ID, 'lead-43'] }] });
export const GateItem = z.object({
  leadId: z.string(),
  found: z.boolean(),
  mayEnroll: z.boolean(),
  mustPause: z.boolean(),
  reason: z.string(),
});
export const GatesResult = z.object({ items: list(GateItem) }).meta({
  examples: [
    {
      items: [
        { leadId: LEAD_ID, found: true, mayEnroll: false, mustPause: true, reason: 'booked' },
        { leadId: 'lead-43', found: false, mayEnroll: false, mustPause: false, reason: 'unknown_lead' },
      ],
    },
  ],
});
export const GateResult = Gate.extend({ leadId: z.string() }).meta({
  examples: [{ leadId: LEAD_ID, mayEnroll: false, mustPause: true, reason: 'booked' }],
});

export const Stats = z
  .object({
    leadsByState: z.record(z.string(), z.number()),
    openMismatchesByKind: z.record(z.string(), z.number()),
    openTasks: z.number(),
    openTasksBySeverity: z.record(z.string(), z.number()),
    openTasksByKind: z.record(z.string(), z.number()),
    unmatchedBookings: z.number(),
    unknownLeads: z.number(),
    deliveries: DeliveriesByProvider,
    lastReconciliationAt: iso.nullable(),
    projectionLag: list(
      z.object({ projection: z.string(), lagEvents: z.number(), lagSeconds: z.number(), caughtUp: z.boolean() }),
    ),
  })
  .meta({
    examples: [
      {
        leadsByState: { unknown: 120, not_booked: 300, booked: 42, canceled: 7, completed: 18, no_show: 2 },
        openMismatchesByKind: {
          sentiment_booked_no_evidence: 5,
          evidence_not_marked_booked: 3,
          canceled_but_booked_status: 1,
        },
        openTasks: 4,
        openTasksBySeverity: { red: 3, amber: 1 },
        openTasksByKind: { 'meeting-canceled': 2, 'meeting-rescheduled': 1, 'meeting-no-show': 1 },
        unmatchedBookings: 2,
        unknownLeads: 120,
        deliveries: DELIVERIES_EXAMPLE,
        lastReconciliationAt: '2030-06-02T08:00:00.000Z',
        projectionLag: [{ projection: 'core', lagEvents: 0, lagSeconds: 0, caughtUp: true }],
      },
    ],
  });

export const DailyStatsQuery = ReadQuery.extend({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(366)
    .default(30)
    .meta({ examples: [30] }),
});

export const DailyStats = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    timeZone: z.literal('UTC'),
    days: list(
      z.object({
        day: z.iso.date(),
        leadsByState: z.record(z.string(), z.number()),
        mismatchesOpened: z.number(),
        mismatchesClosed: z.number(),
      }),
    ),
  })
  .meta({
    examples: [
      {
        from: '2030-06-01',
        to: '2030-06-02',
        timeZone: 'UTC',
        days: [
          {
            day: '2030-06-01',
            leadsByState: { unknown: 120, not_booked: 300, booked: 40, canceled: 7, completed: 17, no_show: 2 },
            mismatchesOpened: 3,
            mismatchesClosed: 1,
          },
          {
            day: '2030-06-02',
            leadsByState: { unknown: 118, not_booked: 300, booked: 42, canceled: 7, completed: 18, no_show: 2 },
            mismatchesOpened: 0,
            mismatchesClosed: 2,
          },
        ],
      },
    ],
  });

export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()).optional() }),
});

/** `GET …/leads/:leadId?asOf=`: the lead as recon knew it then (time travel, see lead-as-of.ts). */
export const LeadQuery = ReadQuery.extend({
  asOf: z.iso
    .datetime({ offset: true })
    .optional()
    .describe(
      'ISO-8601 time with an offset: the lead folded from the events recorded at or before it; later than now answers as of now',
    ),
});

const leadExamples = (Lead.meta()?.['examples'] ?? []) as readonly Record<string, unknown>[];

/** The live lead, or with `asOf` the lead as of that time: the same fields, plus the time it answers for. */
export const LeadAnswer = Lead.extend({
  asOf: iso.optional().describe('Present on a time-travel answer: the time it is as of (at most the server’s now)'),
}).meta({
  examples: [...leadExamples, ...leadExamples.slice(0, 1).map((e) => ({ ...e, asOf: '2030-06-02T09:00:00.000Z' }))],
});
