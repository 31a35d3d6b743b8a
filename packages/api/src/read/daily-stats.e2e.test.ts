/**
 * `GET …/stats/daily` over real HTTP on real PostgreSQL: leads whose facts happened at their source
 * on known days before recon recorded them (all today) give the exact daily series — the first
 * state a lead is counted in moved back to its earliest fact, a booked lead counting completed from
 * the day its meeting ended, mismatches opened and closed on their days — and a rebuild answers the
 * same. A bad `days` is 400.
 */
import { rebuildProjections } from '@recon/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startReadTestContext, type ReadTestContext } from '../testing/read-test-context';
import { Seeder } from '../testing/seeder';

let t: ReadTestContext;
let a: Awaited<ReturnType<ReadTestContext['workspace']>>;

const DAY = 86_400_000;
const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
/** `n` days before today at `hh:mm` UTC. */
const ago = (n: number, time = '10:00') => new Date(today - n * DAY + Date.parse(`1970-01-01T${time}:00.000Z`));
const iso = (n: number, time?: string) => ago(n, time).toISOString();
const day = (n: number) => iso(n).slice(0, 10);
const later = (n: number, time?: string) => new Date(ago(n, time).getTime() + 5_000).toISOString();

/** A GHL observation of a lead's booking, as the provider updated it `n` days ago. */
const seen = (leadId: string, id: string, n: number, extra: Record<string, unknown> = {}) => ({
  leadId,
  providerAppointmentId: id,
  providerUpdatedAt: iso(n),
  observedAt: later(n),
  ...extra,
});

beforeAll(async () => {
  t = await startReadTestContext('daily-stats');
  a = await t.workspace('A');
  const head = await new Seeder(a.ws)
    // a: a check found nothing 8 days ago, booked (a future meeting) 5 days ago.
    .registered('lead-a')
    .checkedNone('lead-a', 'ghl', iso(8))
    .observe(seen('lead-a', 'appt-a', 5))
    // b: booked 6 days ago for a meeting that ended 3 days ago.
    .registered('lead-b')
    .observe(seen('lead-b', 'appt-b', 6, { startAt: iso(3, '09:00'), endAt: iso(3, '09:30') }))
    // d: booked 4 days ago, canceled 2 days ago.
    .registered('lead-d')
    .observe(seen('lead-d', 'appt-d', 4))
    .observe(seen('lead-d', 'appt-d', 2, { status: 'canceled', canceledBy: 'invitee' }))
    // c: only registered (today, by recon's recording).
    .registered('lead-c')
    .flush(t.store);
  await t.caughtUp(head);
});
afterAll(async () => {
  await t?.close();
});

const daily = (query = '') => http(t.baseUrl, 'GET', `/v1/workspaces/${a.ws}/stats/daily${query}`, { headers: a.auth });

const zero = { unknown: 0, not_booked: 0, booked: 0, canceled: 0, completed: 0, no_show: 0 };
/** The expected series for 10 days: index i is `9 - i` days ago. */
function expected() {
  const states = (n: number) => {
    if (n === 9) return zero;
    if (n >= 7) return { ...zero, not_booked: 1 };
    if (n === 6) return { ...zero, not_booked: 1, booked: 1 };
    if (n === 5) return { ...zero, booked: 2 };
    if (n === 4) return { ...zero, booked: 3 };
    if (n === 3) return { ...zero, booked: 2, completed: 1 };
    if (n >= 1) return { ...zero, booked: 1, canceled: 1, completed: 1 };
    return { ...zero, unknown: 1, booked: 1, canceled: 1, completed: 1 };
  };
  // evidence_not_marked_booked (no booked label): opened when b, a, d were booked; d's closed by its cancellation.
  const opened = (n: number) => (n === 6 || n === 5 || n === 4 ? 1 : 0);
  const closed = (n: number) => (n === 2 ? 1 : 0);
  return {
    from: day(9),
    to: day(0),
    timeZone: 'UTC',
    days: Array.from({ length: 10 }, (_, i) => 9 - i).map((n) => ({
      day: day(n),
      leadsByState: states(n),
      mismatchesOpened: opened(n),
      mismatchesClosed: closed(n),
    })),
  };
}

describe('GET …/stats/daily', () => {
  it('answers the exact series of known days, live and after a rebuild', async () => {
    const live = await daily('?days=10');
    expect(live.status).toBe(200);
    expect(live.body).toEqual(expected());

    const rebuilt = await rebuildProjections({ store: t.store, db: t.db });
    expect(rebuilt.ok).toBe(true);
    await t.caughtUp();
    expect((await daily('?days=10')).body).toEqual(live.body);
    const head = await t.store.headPosition();
    expect((await daily(`?days=10&minPosition=${encodeURIComponent(head)}`)).body).toEqual(live.body);
  });

  it('defaults to 30 days ending today; the oldest days are zeros', async () => {
    const r = await daily();
    expect(r.status).toBe(200);
    expect(r.body.days).toHaveLength(30);
    expect(r.body).toMatchObject({ from: day(29), to: day(0), timeZone: 'UTC' });
    expect(r.body.days[0]).toEqual({ day: day(29), leadsByState: zero, mismatchesOpened: 0, mismatchesClosed: 0 });
    expect(r.body.days.at(-1)).toEqual(expected().days.at(-1));
  });

  it('400 VALIDATION_FAILED for days outside 1..366 or not a number', async () => {
    for (const q of ['?days=0', '?days=367', '?days=abc', '?days=1.5']) {
      const r = await daily(q);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await daily('?days=366')).body.days).toHaveLength(366);
  });
});
