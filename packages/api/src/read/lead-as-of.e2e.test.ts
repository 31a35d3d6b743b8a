/**
 * Time travel over real HTTP on real PostgreSQL: `GET …/leads/:leadId?asOf=` answers the lead as
 * recon knew it at that time, from the events *recorded* by then. The history is written step by
 * step and each step's recording time set to a known instant; the expectations below are folded
 * by hand from the product rules (booking state, mismatches, review tasks, automation gate),
 * not by the code under test. Also: a cancellation the provider made earlier than recon recorded
 * it counts from its recording; the workspace's rules as of then decide the mismatch; a time
 * before the lead → 404; a malformed time → 400; a time after now answers as of now.
 */
import { followUpTaskId, workspaceStreamName, type ReconEvent } from '@recon/domain';
import { Scenario, type PlacedEvent } from '@recon/domain/testing';
import { appendEvents } from '@recon/testkit';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startReadTestContext, type ReadTestContext } from '../testing/read-test-context';

const NOW = new Date('2030-07-01T00:00:00.000Z');
let t: ReadTestContext;
let a: Awaited<ReturnType<ReadTestContext['workspace']>>;
let taskId: string;

/** Highest event-store position written so far: a step's events are the ones above it. */
let lastPosition = 0n;

async function recordedAt(at: string, events: readonly (ReconEvent | PlacedEvent)[]): Promise<void> {
  await t.caughtUp(await appendEvents(t.store, events));
  await stamp(at);
}

async function stamp(at: string): Promise<void> {
  const r = await sql<{ n: string | null }>`
    WITH s AS (UPDATE eventstore.events SET recorded_at = ${at}::timestamptz WHERE position > ${lastPosition.toString()}::bigint RETURNING position)
    SELECT max(position)::text AS n FROM s`.execute(t.db);
  lastPosition = BigInt(r.rows[0]?.n ?? lastPosition.toString());
}

beforeAll(async () => {
  t = await startReadTestContext('lead-as-of', { clock: () => NOW });
  a = await t.workspace('A');
  const s = new Scenario(a.ws, { now: () => '2030-06-01T09:00:00.000Z' });
  taskId = followUpTaskId({
    workspaceId: a.ws,
    leadId: 'L1',
    provider: 'ghl',
    providerAppointmentId: 'g1',
    kind: 'meeting-canceled',
  });
  await stamp('2030-05-01T00:00:00.000Z'); // anything written before (none expected) is older than the story
  await recordedAt('2030-06-01T09:00:00.000Z', [s.registered('L1'), s.registered('L2')]);
  await recordedAt('2030-06-01T10:00:00.000Z', [s.sentiment('L1', 'Ready to meet', '2030-06-01T10:00:00.000Z')]);
  await recordedAt('2030-06-01T11:00:00.000Z', [s.checked('L1', 'ghl', { kind: 'none' }, '2030-06-01T11:00:00.000Z')]);
  // The workspace starts counting "Ready to meet" as booked.
  const rules = await t.store.append(workspaceStreamName(a.ws), [
    {
      id: randomUUID(),
      type: 'WorkspaceRulesChanged',
      data: {
        workspaceId: a.ws,
        bookedSentimentLabels: ['Meeting Booked', 'Ready to meet'],
        autoCorrectSentiment: true,
        changedAt: '2030-06-01T12:00:00.000Z',
      },
    },
  ]);
  if (!rules.ok) throw new Error('rules not appended');
  await t.caughtUp(rules.position);
  await stamp('2030-06-01T12:00:00.000Z');
  await recordedAt('2030-06-02T10:00:00.000Z', [
    ...s.observePlaced({
      leadId: 'L1',
      providerAppointmentId: 'g1',
      providerUpdatedAt: '2030-06-02T09:59:00.000Z',
      observedAt: '2030-06-02T10:00:00.000Z',
    }),
    ...s.observePlaced({
      leadId: 'L2',
      providerAppointmentId: 'g2',
      providerUpdatedAt: '2030-06-02T09:59:00.000Z',
      observedAt: '2030-06-02T10:00:00.000Z',
    }),
  ]);
  // Canceled at the provider on 06-02 12:00; recon learnt it (a poll) on 06-03 10:00.
  await recordedAt(
    '2030-06-03T10:00:00.000Z',
    s.observePlaced({
      leadId: 'L1',
      providerAppointmentId: 'g1',
      status: 'canceled',
      canceledBy: 'invitee',
      source: 'poller',
      providerUpdatedAt: '2030-06-02T12:00:00.000Z',
      observedAt: '2030-06-03T10:00:00.000Z',
    }),
  );
  await recordedAt('2030-06-04T10:00:00.000Z', [s.resolved('L1', taskId, '2030-06-04T10:00:00.000Z', 'called')]);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const get = (path: string) => http(t.baseUrl, 'GET', `/v1/workspaces/${a.ws}${path}`, { headers: a.auth });
const asOf = (leadId: string, at: string) => get(`/leads/${leadId}?asOf=${encodeURIComponent(at)}`);

const MEETING = { startAt: '2030-06-18T15:00:00.000Z', endAt: '2030-06-18T15:30:00.000Z' };
const CHECK = [{ provider: 'ghl', checkedAt: '2030-06-01T11:00:00.000Z', outcome: { kind: 'none' } }];
const SENTIMENT = { label: 'Ready to meet', classifiedAt: '2030-06-01T10:00:00.000Z' };
const gate = (mayEnroll: boolean, mustPause: boolean, reason: string) => ({ mayEnroll, mustPause, reason });

/** The folds by hand, per instant: what recon knew about L1. */
const L1_BY_HAND: readonly [string, Record<string, unknown>][] = [
  [
    '2030-06-01T09:30:00.000Z', // registered only: never checked
    {
      state: 'unknown',
      assumed: false,
      grade: 'unverified',
      evidence: [],
      sentiment: null,
      appointment: null,
      checks: [],
      mismatches: [],
      openTasks: [],
    },
  ],
  [
    '2030-06-01T10:30:00.000Z', // a sentiment that is no booked label (yet): nothing to pause
    {
      state: 'unknown',
      grade: 'unverified',
      sentiment: SENTIMENT,
      checks: [],
      mismatches: [],
      gate: gate(false, false, 'unverified'),
    },
  ],
  [
    '2030-06-01T11:30:00.000Z', // a successful "none": not booked, the label is not booked under the default rules
    {
      state: 'not_booked',
      grade: 'unverified',
      checks: CHECK,
      mismatches: [],
      openTasks: [],
      gate: gate(true, false, 'not_booked'),
    },
  ],
  [
    '2030-06-01T12:30:00.000Z', // the rules now call the label booked: sentiment says booked, evidence says none
    {
      state: 'not_booked',
      grade: 'contradicted', // a booked label, and the check after it found nothing
      mismatches: [{ kind: 'sentiment_booked_no_evidence', since: '2030-06-01T11:00:00.000Z' }],
      gate: gate(true, false, 'not_booked'), // autoCorrectSentiment: evidence wins
    },
  ],
  [
    '2030-06-02T18:00:00.000Z', // booked; the provider's cancel (06-02 12:00) is not recorded yet
    {
      state: 'booked',
      grade: 'provider_confirmed',
      appointment: { provider: 'ghl', providerAppointmentId: 'g1', status: 'scheduled', ...MEETING },
      mismatches: [],
      openTasks: [],
      gate: gate(false, true, 'booked'),
    },
  ],
  [
    '2030-06-03T12:00:00.000Z', // the cancel is recorded: a red review task, automation held
    {
      state: 'canceled',
      grade: 'contradicted', // canceled; the label still says booked and the check after it found nothing
      appointment: { provider: 'ghl', providerAppointmentId: 'g1', status: 'canceled', ...MEETING },
      mismatches: [{ kind: 'canceled_but_booked_status', since: '2030-06-03T10:00:00.000Z' }],
      openTasks: [{ id: '<task>', kind: 'meeting-canceled', severity: 'red' }],
      gate: gate(false, true, 'canceled_needs_review'),
    },
  ],
  [
    '2030-06-04T10:00:00.000Z', // at the resolution's recording instant: resolved (at or before)
    { state: 'canceled', openTasks: [], gate: gate(true, false, 'canceled_reviewed') },
  ],
];

describe('GET …/leads/:leadId?asOf=', () => {
  it('answers the lead as folded by hand from the events recorded by each instant', async () => {
    for (const [at, expected] of L1_BY_HAND) {
      const r = await asOf('L1', at);
      expect(r.status, at).toBe(200);
      const want = JSON.parse(JSON.stringify(expected).replace('<task>', taskId));
      expect({ at: r.body.asOf, ...r.body }, at).toMatchObject({ at, leadId: 'L1', ...want });
      expect(typeof r.body.bookingToken).toBe('string');
      // The grade's evidence is events recon had recorded by then.
      const known = await sql<{ id: string }>`
        SELECT event_id::text AS id FROM eventstore.events WHERE recorded_at <= ${at}::timestamptz`.execute(t.db);
      const ids = new Set(known.rows.map((e) => e.id));
      expect(
        r.body.evidence.filter((id: string) => !ids.has(id)),
        at,
      ).toEqual([]);
      if (r.body.grade !== 'unverified') expect(r.body.evidence.length, at).toBeGreaterThan(0);
    }
  });

  it('just before a recording the event is not known yet: a recording time, not a provider time', async () => {
    const before = await asOf('L1', '2030-06-03T09:59:59.999Z');
    expect(before.body).toMatchObject({ state: 'booked', openTasks: [] });
    const resolvedNotYet = await asOf('L1', '2030-06-04T09:59:59.999+00:00');
    expect(resolvedNotYet.body.openTasks).toEqual([{ id: taskId, kind: 'meeting-canceled', severity: 'red' }]);
    // An offset is honoured: 12:00+02:00 is 10:00Z, the resolution's instant.
    const offset = await asOf('L1', '2030-06-04T12:00:00+02:00');
    expect(offset.body).toMatchObject({ asOf: '2030-06-04T10:00:00.000Z', openTasks: [] });
  });

  it('after everything recorded it equals the live answer, plus asOf', async () => {
    const live = await get('/leads/L1');
    const then = await asOf('L1', '2030-06-30T00:00:00.000Z');
    expect(live.status).toBe(200);
    const { asOf: at, ...rest } = then.body;
    expect(at).toBe('2030-06-30T00:00:00.000Z');
    expect(rest).toEqual(live.body);
    expect(live.body.asOf).toBeUndefined();
  });

  it('a meeting whose end passed by asOf reads completed (assumed) as of then, booked before', async () => {
    expect((await asOf('L2', '2030-06-10T00:00:00.000Z')).body).toMatchObject({
      state: 'booked',
      assumed: false,
      grade: 'provider_confirmed',
      gate: gate(false, true, 'booked'),
    });
    expect((await asOf('L2', '2030-06-19T00:00:00.000Z')).body).toMatchObject({
      state: 'completed',
      assumed: true,
      gate: gate(false, true, 'completed'),
    });
  });

  it('a time after now answers as of now (and says so)', async () => {
    const r = await asOf('L1', '2031-01-01T00:00:00.000Z');
    expect(r.status).toBe(200);
    expect(r.body.asOf).toBe(NOW.toISOString());
    expect(r.body.openTasks).toEqual([]);
  });

  it('before the lead existed: 404 LEAD_NOT_FOUND; an unknown lead: 404', async () => {
    const before = await asOf('L1', '2030-06-01T08:59:59.999Z');
    expect(before.status).toBe(404);
    expect(before.body.error.code).toBe('LEAD_NOT_FOUND');
    expect((await asOf('nobody', '2030-06-05T00:00:00.000Z')).status).toBe(404);
  });

  it('a malformed asOf is a 400 naming the parameter (no offset, not a date)', async () => {
    for (const bad of ['yesterday', '2030-06-01T10:00:00', '2030-13-01T00:00:00Z', '']) {
      const r = await get(`/leads/L1?asOf=${encodeURIComponent(bad)}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.error.code, bad).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(r.body.error.details), bad).toContain('asOf');
    }
  });
});
