/**
 * `GET …/analytics` over real HTTP on real PostgreSQL against a generated workspace with known
 * rates: 20 "Meeting Booked" leads of which 12 a provider confirmed (booked 1..12 hours after the
 * label: median 6.5 h), 5 a successful check contradicted, 3 still label-only; 4 "Interested"
 * leads, one booked 24 h later. Of the confirmed meetings 8 ended (completed, assumed) and 2 were
 * no-shows before recon's clock; one meeting was moved twice in place (a chain of length 3), one
 * once after its start (length 2, rescheduled after start); three
 * bookings only polling found are lost deliveries (16 received by webhook: lost share 3/19).
 * Another workspace's leads never count; a rebuild answers the same. Bad windows and groupings are 400.
 */
import { rebuildProjections } from '@recon/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startReadTestContext, type ReadTestContext } from '../testing/read-test-context';
import { Seeder } from '../testing/seeder';

const HOUR = 3_600_000;
const NOW = new Date('2030-07-01T00:00:00.000Z');
const FROM = '2030-05-01T00:00:00.000Z';
const TO = '2030-07-01T00:00:00.000Z';

let t: ReadTestContext;
let a: Awaited<ReturnType<ReadTestContext['workspace']>>;
let b: Awaited<ReturnType<ReadTestContext['workspace']>>;

const at = (base: string, hours: number) => new Date(Date.parse(base) + hours * HOUR).toISOString();
/** Labels on two days: leads 0..9 on May 10th, 10..19 on May 11th (UTC), an hour apart. */
const labelAt = (i: number) => at(i < 10 ? '2030-05-10T00:00:00.000Z' : '2030-05-11T00:00:00.000Z', i % 10);
const ENDED = { startAt: '2030-06-05T15:00:00.000Z', endAt: '2030-06-05T15:30:00.000Z' };
const FUTURE = { startAt: '2030-07-10T15:00:00.000Z', endAt: '2030-07-10T15:30:00.000Z' };

function booking(leadId: string, updatedAt: string, extra: Record<string, unknown>) {
  return {
    leadId,
    providerAppointmentId: `appt-${leadId}`,
    providerUpdatedAt: updatedAt,
    observedAt: at(updatedAt, 0.001),
    ...extra,
  };
}

beforeAll(async () => {
  t = await startReadTestContext('analytics', { clock: () => NOW });
  a = await t.workspace('A');
  b = await t.workspace('B');
  const s = new Seeder(a.ws);
  for (let i = 0; i < 20; i++) {
    const lead = `mb-${String(i).padStart(2, '0')}`;
    s.registered(lead).sentiment(lead, 'Meeting Booked', labelAt(i));
    if (i < 12) {
      const times = i < 10 ? ENDED : FUTURE;
      s.observe(booking(lead, at(labelAt(i), i + 1), times));
      // Lead 0's meeting (June 5th, 15:00) moved on June 6th to June 20th: a reschedule after its start.
      if (i === 0)
        s.observe(
          booking(lead, '2030-06-06T00:00:00.000Z', {
            startAt: '2030-06-20T15:00:00.000Z',
            endAt: '2030-06-20T15:30:00.000Z',
          }),
        );
      if (i === 8 || i === 9) s.observe(booking(lead, '2030-06-05T16:00:00.000Z', { ...times, status: 'no_show' }));
      if (i === 10) {
        s.observe(
          booking(lead, '2030-06-10T00:00:00.000Z', {
            startAt: '2030-07-11T15:00:00.000Z',
            endAt: '2030-07-11T15:30:00.000Z',
          }),
        );
        s.observe(
          booking(lead, '2030-06-11T00:00:00.000Z', {
            startAt: '2030-07-12T15:00:00.000Z',
            endAt: '2030-07-12T15:30:00.000Z',
          }),
        );
      }
    } else if (i < 17) s.checkedNone(lead, 'ghl', at(labelAt(i), 24));
  }
  for (let i = 0; i < 4; i++) {
    const lead = `in-${i}`;
    s.registered(lead).sentiment(lead, 'Interested', '2030-05-12T00:00:00.000Z');
    if (i === 0) s.observe(booking(lead, '2030-05-13T00:00:00.000Z', FUTURE));
  }
  // Three unlabelled bookings only polling found (no webhook ever): lost deliveries.
  for (let i = 0; i < 3; i++)
    s.registered(`lost-${i}`).observe({
      ...booking(`lost-${i}`, '2030-06-20T00:00:00.000Z', FUTURE),
      source: 'poller',
    });
  // Outside the window: a label on April 30th.
  s.registered('early').sentiment('early', 'Meeting Booked', '2030-04-30T23:59:59.000Z');
  const other = new Seeder(b.ws).registered('b-1').sentiment('b-1', 'Meeting Booked', labelAt(0));
  await s.flush(t.store);
  await t.caughtUp(await other.flush(t.store));
});
afterAll(async () => {
  await t?.close();
});

const analytics = (query: string, auth = a.auth, ws = a.ws) =>
  http(t.baseUrl, 'GET', `/v1/workspaces/${ws}/analytics${query}`, { headers: auth });

const meetingBooked = {
  key: 'Meeting Booked',
  leads: 20,
  confirmed: 12,
  contradicted: 5,
  pending: 0,
  labelOnly: 3,
  unverified: 0,
  precision: 12 / 17,
  medianHoursToEvidence: 6.5,
};
const interested = {
  key: 'Interested',
  leads: 4,
  confirmed: 1,
  contradicted: 0,
  pending: 0,
  labelOnly: 0,
  unverified: 3,
  precision: 1,
  medianHoursToEvidence: 24,
};

describe('GET …/analytics', () => {
  it('answers the known rates per label, the chains and the attendance', async () => {
    const r = await analytics(`?from=${FROM}&to=${TO}&groupBy=label`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: FROM, to: TO, groupBy: 'label' });
    expect(r.body.groups).toEqual([interested, meetingBooked]);
    expect(r.body.chains).toEqual({ count: 16, lengths: { '1': 14, '2': 1, '3': 1 }, rescheduledAfterStart: 1 });
    expect(r.body.attendance).toEqual({ completed: 8, noShow: 2, completionRate: 0.8, noShowRate: 0.2 });
    // 13 bookings and 3 moves delivered by webhook, 3 bookings only polling found.
    expect(r.body.deliveries).toEqual({ ghl: { received: 16, lost: 3, lostShare: 3 / 19 } });
  });

  it('counts the deliveries whose provider update time falls in the window only', async () => {
    // The 16 delivered facts are from May 10th to June 11th; the 3 lost bookings from June 20th.
    const before = await analytics(`?from=${FROM}&to=2030-06-15T00:00:00.000Z`);
    expect(before.body.deliveries).toEqual({ ghl: { received: 16, lost: 0, lostShare: 0 } });
    const after = await analytics(`?from=2030-06-15T00:00:00.000Z&to=${TO}`);
    expect(after.body.deliveries).toEqual({ ghl: { received: 0, lost: 3, lostShare: 1 } });
    const none = await analytics('?from=2030-01-01T00:00:00.000Z&to=2030-02-01T00:00:00.000Z');
    expect(none.body.deliveries).toEqual({});
  });

  it('groups by UTC day of the label and by the evidence’s source', async () => {
    const days = await analytics(`?from=${FROM}&to=${TO}&groupBy=day`);
    expect(days.status).toBe(200);
    // May 10th: leads 0..9 booked 1..10 h after their label (median 5.5); May 11th: 10, 11 booked
    // 11, 12 h after, 12..16 contradicted, 17..19 label-only; May 12th: the Interested leads.
    expect(days.body.groups).toEqual([
      {
        ...meetingBooked,
        key: '2030-05-10',
        leads: 10,
        confirmed: 10,
        contradicted: 0,
        labelOnly: 0,
        precision: 1,
        medianHoursToEvidence: 5.5,
      },
      {
        ...meetingBooked,
        key: '2030-05-11',
        leads: 10,
        confirmed: 2,
        contradicted: 5,
        labelOnly: 3,
        precision: 2 / 7,
        medianHoursToEvidence: 11.5,
      },
      { ...interested, key: '2030-05-12' },
    ]);
    const sources = await analytics(`?from=${FROM}&to=${TO}&groupBy=source`);
    expect(sources.status).toBe(200);
    expect(sources.body.groups).toEqual([
      {
        key: 'none',
        leads: 11,
        confirmed: 0,
        contradicted: 5,
        pending: 0,
        labelOnly: 3,
        unverified: 3,
        precision: 0,
        medianHoursToEvidence: null,
      },
      {
        key: 'webhook',
        leads: 13,
        confirmed: 13,
        contradicted: 0,
        pending: 0,
        labelOnly: 0,
        unverified: 0,
        precision: 1,
        medianHoursToEvidence: 7,
      },
    ]);
  });

  it('the window bounds the labels: a label at `to` or before `from` does not count; defaults to 30 days to now', async () => {
    const r = await analytics(`?from=2030-05-10T05:00:00.000Z&to=2030-05-11T00:00:00.000Z`);
    expect(r.status).toBe(200);
    expect(r.body.groupBy).toBe('label');
    expect(r.body.groups).toEqual([
      {
        ...meetingBooked,
        leads: 5,
        confirmed: 5,
        contradicted: 0,
        labelOnly: 0,
        precision: 1,
        medianHoursToEvidence: 8,
      },
    ]);
    const d = await analytics('');
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ from: '2030-06-01T00:00:00.000Z', to: NOW.toISOString(), groups: [] });
    const early = await analytics(`?from=2030-04-01T00:00:00.000Z&to=${FROM}`);
    expect(early.body.groups).toEqual([expect.objectContaining({ key: 'Meeting Booked', leads: 1, labelOnly: 1 })]);
  });

  it('another workspace’s leads never count', async () => {
    const r = await analytics(`?from=${FROM}&to=${TO}`, b.auth, b.ws);
    expect(r.status).toBe(200);
    expect(r.body.groups).toEqual([expect.objectContaining({ key: 'Meeting Booked', leads: 1, labelOnly: 1 })]);
    expect(r.body.chains).toEqual({ count: 0, lengths: {}, rescheduledAfterStart: 0 });
    expect((await analytics(`?from=${FROM}&to=${TO}`, b.auth)).status).toBe(403);
  });

  it('a rebuild of the read models answers the same', async () => {
    const queries = ['label', 'day', 'source'].map((g) => `?from=${FROM}&to=${TO}&groupBy=${g}`);
    const live = await Promise.all(queries.map((q) => analytics(q)));
    expect((await rebuildProjections({ store: t.store, db: t.db })).ok).toBe(true);
    await t.caughtUp();
    for (const [i, q] of queries.entries()) expect((await analytics(q)).body, q).toEqual(live[i]?.body);
  });

  it('400 VALIDATION_FAILED for a bad window or grouping', async () => {
    for (const q of [
      `?from=${TO}&to=${FROM}`,
      `?from=${FROM}&to=${FROM}`,
      '?from=2029-01-01T00:00:00.000Z&to=2030-06-01T00:00:00.000Z',
      '?groupBy=week',
      '?from=yesterday',
      '?to=2030-13-01T00:00:00Z',
    ]) {
      const r = await analytics(q);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe('VALIDATION_FAILED');
    }
  });
});
