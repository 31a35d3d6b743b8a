/**
 * The read API over real HTTP on real PostgreSQL: seeded events → projections → routes. Happy
 * paths, 401, 403 (another workspace's key), 404, 400 on bad params, paging boundaries, the
 * resolve no-op, and read-your-writes (minPosition → waits, or 409 STALE_READ).
 */
import { followUpTaskId } from '@recon/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, http, startReadTestContext, type ReadTestContext } from '../testing/read-test-context';
import { Seeder } from '../testing/seeder';

let t: ReadTestContext;
let a: Awaited<ReturnType<ReadTestContext['workspace']>>;
let b: Awaited<ReturnType<ReadTestContext['workspace']>>;
const NO_EVIDENCE = Array.from({ length: 7 }, (_, i) => `ne-${i}`);

beforeAll(async () => {
  t = await startReadTestContext('read-routes');
  a = await t.workspace('A');
  b = await t.workspace('B');
  const seed = new Seeder(a.ws)
    .canceledMeeting('lead-canceled')
    .rescheduledMeeting('lead-moved')
    .booked('lead-booked')
    .registered('lead-unknown');
  NO_EVIDENCE.forEach((id, i) => seed.noEvidence(id, `2030-05-21T00:0${i}:00.000Z`));
  await t.caughtUp(await seed.flush(t.store));
  // Workspace B has a lead too: A's key must never see it.
  await t.caughtUp(await new Seeder(b.ws).canceledMeeting('lead-b').flush(t.store));
});
afterAll(async () => {
  await t?.close();
});

const get = (path: string, who: Record<string, string> = a.auth) => http(t.baseUrl, 'GET', path, { headers: who });
const A = () => `/v1/workspaces/${a.ws}`;

describe('GET lead', () => {
  it('answers the contract for a canceled meeting: state, sentiment, appointment, mismatches, red task, gate', async () => {
    const r = await get(`${A()}/leads/lead-canceled`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      leadId: 'lead-canceled',
      state: 'canceled',
      assumed: false,
      sentiment: { label: 'Meeting Booked', classifiedAt: '2030-05-20T00:00:00.000Z' },
      appointment: {
        provider: 'ghl',
        providerAppointmentId: 'appt-lead-canceled',
        status: 'canceled',
        startAt: '2030-06-18T15:00:00.000Z',
        endAt: '2030-06-18T15:30:00.000Z',
      },
      openTasks: [{ kind: 'meeting-canceled', severity: 'red' }],
      gate: { mayEnroll: false, mustPause: true, reason: 'canceled_needs_review' },
    });
    expect(r.body.mismatches.map((m: { kind: string }) => m.kind)).toContain('canceled_but_booked_status');
    expect(Array.isArray(r.body.checks)).toBe(true);
  });

  it('404 LEAD_NOT_FOUND for an unknown lead, and for another workspace’s lead under the admin token', async () => {
    const r = await get(`${A()}/leads/nobody`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('LEAD_NOT_FOUND');
    expect((await get(`${A()}/leads/lead-b`, admin)).status).toBe(404);
  });

  it('401 without a key or with a bad key; 403 with another workspace’s key', async () => {
    expect((await get(`${A()}/leads/lead-canceled`, {})).status).toBe(401);
    expect((await get(`${A()}/leads/lead-canceled`, { authorization: 'Bearer rk_nope' })).status).toBe(401);
    const other = await get(`${A()}/leads/lead-canceled`, b.auth);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('FORBIDDEN');
  });
});

describe('GET lead appointments', () => {
  it('lists appointments with their history (a reschedule keeps both times)', async () => {
    const r = await get(`${A()}/leads/lead-moved/appointments`);
    expect(r.status).toBe(200);
    expect(r.body.leadId).toBe('lead-moved');
    expect(r.body.items).toHaveLength(1);
    const appt = r.body.items[0];
    expect(appt.startAt).toBe('2030-06-20T15:00:00.000Z');
    expect(appt.history.map((h: { eventType: string }) => h.eventType)).toEqual([
      'AppointmentBooked',
      'AppointmentRescheduled',
    ]);
  });

  it('empty list for a known lead without bookings; 404 for an unknown lead', async () => {
    expect((await get(`${A()}/leads/lead-unknown/appointments`)).body).toEqual({ leadId: 'lead-unknown', items: [] });
    expect((await get(`${A()}/leads/nobody/appointments`)).status).toBe(404);
  });
});

describe('GET leads?state= (keyset)', () => {
  it('pages through not_booked leads without gaps or repeats; the last page has nextCursor null', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await get(
        `${A()}/leads?state=not_booked&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...r.body.items.map((l: { leadId: string }) => l.leadId));
      cursor = r.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual([...NO_EVIDENCE].sort());
    expect(pages).toBe(3);
  });

  it('limit exactly the row count: one page, nextCursor null', async () => {
    const r = await get(`${A()}/leads?state=not_booked&limit=7`);
    expect(r.body.items).toHaveLength(7);
    expect(r.body.nextCursor).toBeNull();
  });

  it('400 on a missing/unknown state, limit 0 or 201, and a forged cursor', async () => {
    for (const q of ['', '?state=maybe', '?state=booked&limit=0', '?state=booked&limit=201', '?state=booked&limit=x']) {
      const r = await get(`${A()}/leads${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    const forged = await get(`${A()}/leads?state=booked&cursor=not-a-cursor`);
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('CURSOR_INVALID');
    expect((await get(`${A()}/leads?state=booked&limit=200`)).status).toBe(200);
  });
});

describe('GET mismatches (keyset)', () => {
  it('filters by kind and pages by (since, lead): 7 rows in pages of 5 + 2', async () => {
    const first = await get(`${A()}/mismatches?kind=sentiment_booked_no_evidence&limit=5`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(5);
    expect(first.body.items[0]).toMatchObject({
      kind: 'sentiment_booked_no_evidence',
      sentiment: { label: 'Meeting Booked' },
    });
    expect(first.body.items[0]).toHaveProperty('evidence');
    expect(first.body.items[0]).toHaveProperty('lastInboundAt', null);
    expect(first.body.items[0]).toHaveProperty('lastMessageDirection', null);
    const second = await get(
      `${A()}/mismatches?kind=sentiment_booked_no_evidence&limit=5&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((m: { leadId: string }) => m.leadId);
    expect(new Set(ids).size).toBe(7);
  });

  it('without a kind lists every open kind; never another workspace’s rows', async () => {
    const r = await get(`${A()}/mismatches?limit=200`);
    const kinds = new Set(r.body.items.map((m: { kind: string }) => m.kind));
    expect(kinds.has('canceled_but_booked_status')).toBe(true);
    expect(r.body.items.some((m: { leadId: string }) => m.leadId === 'lead-b')).toBe(false);
  });

  it('400 on an unknown kind and a forged cursor; 403 cross-workspace', async () => {
    expect((await get(`${A()}/mismatches?kind=nope`)).status).toBe(400);
    expect((await get(`${A()}/mismatches?cursor=${Buffer.from('["x"]').toString('base64url')}`)).body.error.code).toBe(
      'CURSOR_INVALID',
    );
    expect((await get(`${A()}/mismatches`, b.auth)).status).toBe(403);
  });
});

describe('tasks', () => {
  const canceledTaskId = () =>
    followUpTaskId({
      workspaceId: a.ws,
      leadId: 'lead-canceled',
      provider: 'ghl',
      providerAppointmentId: 'appt-lead-canceled',
      kind: 'meeting-canceled',
    });

  it('lists open tasks with the contract fields; red for canceled and rescheduled', async () => {
    const r = await get(`${A()}/tasks?status=open`);
    expect(r.status).toBe(200);
    const byKind = Object.fromEntries(r.body.items.map((x: { kind: string }) => [x.kind, x]));
    expect(byKind['meeting-canceled']).toMatchObject({
      id: canceledTaskId(),
      leadId: 'lead-canceled',
      severity: 'red',
      status: 'open',
      appointmentId: 'appt-lead-canceled',
      resolvedAt: null,
    });
    expect(byKind['meeting-rescheduled']).toMatchObject({ leadId: 'lead-moved', severity: 'red' });
    const byLead = await get(`${A()}/tasks?leadId=lead-moved`);
    expect(byLead.body.items.map((x: { leadId: string }) => x.leadId)).toEqual(['lead-moved']);
    const onlyCanceled = await get(`${A()}/tasks?status=open&kind=meeting-canceled&limit=1`);
    expect(onlyCanceled.body.items).toHaveLength(1);
    expect(onlyCanceled.body.nextCursor).toBeNull();
  });

  it('paging boundary: limit=1 gives a cursor to the second task', async () => {
    const first = await get(`${A()}/tasks?limit=1`);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await get(`${A()}/tasks?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  it('400 on a bad status or kind', async () => {
    expect((await get(`${A()}/tasks?status=closed`)).status).toBe(400);
    expect((await get(`${A()}/tasks?kind=meeting-lost`)).status).toBe(400);
  });

  it('resolve appends one event; the read model follows via minPosition; resolving twice is a no-op 200', async () => {
    const path = `${A()}/tasks/${canceledTaskId()}/resolve`;
    const before = await t.store.headPosition();
    const first = await http(t.baseUrl, 'POST', path, { headers: a.auth, body: { note: 'called, rebooking' } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id: canceledTaskId(),
      status: 'resolved',
      alreadyResolved: false,
      resolvedBy: a.keyId,
      note: 'called, rebooking',
    });
    expect(first.headers.get('x-recon-position')).toBe(first.body.position);
    const events = await t.store.readStream((await import('@recon/domain')).leadStreamName(a.ws, 'lead-canceled'));
    const resolutions = events.filter((e) => e.type === 'FollowUpTaskResolved');
    expect(resolutions).toHaveLength(1);
    expect(resolutions[0]?.data).toMatchObject({
      taskId: canceledTaskId(),
      resolvedBy: a.keyId,
      note: 'called, rebooking',
    });

    const open = await get(
      `${A()}/tasks?status=open&kind=meeting-canceled&minPosition=${encodeURIComponent(first.body.position)}`,
    );
    expect(open.status).toBe(200);
    expect(open.body.items).toHaveLength(0);
    const resolved = await get(`${A()}/tasks?status=resolved&minPosition=${encodeURIComponent(first.body.position)}`);
    expect(resolved.body.items[0]).toMatchObject({
      id: canceledTaskId(),
      status: 'resolved',
      note: 'called, rebooking',
    });
    const lead = await http(t.baseUrl, 'GET', `${A()}/leads/lead-canceled`, {
      headers: { ...a.auth, 'x-recon-min-position': first.body.position },
    });
    expect(lead.body.openTasks).toEqual([]);
    expect(lead.body.gate.reason).toBe('canceled_reviewed');

    const again = await http(t.baseUrl, 'POST', path, { headers: a.auth, body: {} });
    expect(again.status).toBe(200);
    expect(again.body.alreadyResolved).toBe(true);
    const after = await t.store.readStream((await import('@recon/domain')).leadStreamName(a.ws, 'lead-canceled'));
    expect(after.filter((e) => e.type === 'FollowUpTaskResolved')).toHaveLength(1);
    expect(t.store.comparePositions(await t.store.headPosition(), before)).toBeGreaterThan(0);
  });

  it('resolve: 404 unknown task, 403 with another workspace’s key (and B’s task is not A’s), 400 on a huge note', async () => {
    const r = await http(t.baseUrl, 'POST', `${A()}/tasks/nope/resolve`, { headers: a.auth, body: {} });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('TASK_NOT_FOUND');
    const bTask = followUpTaskId({
      workspaceId: b.ws,
      leadId: 'lead-b',
      provider: 'ghl',
      providerAppointmentId: 'appt-lead-b',
      kind: 'meeting-canceled',
    });
    expect((await http(t.baseUrl, 'POST', `${A()}/tasks/${bTask}/resolve`, { headers: a.auth, body: {} })).status).toBe(
      404,
    );
    expect((await http(t.baseUrl, 'POST', `${A()}/tasks/${bTask}/resolve`, { headers: b.auth, body: {} })).status).toBe(
      403,
    );
    expect(
      (await http(t.baseUrl, 'POST', `${A()}/tasks/x/resolve`, { headers: a.auth, body: { note: 'x'.repeat(2001) } }))
        .status,
    ).toBe(400);
    expect((await http(t.baseUrl, 'POST', `${A()}/tasks/x/resolve`, { body: {} })).status).toBe(401);
  });
});

describe('gates', () => {
  it('GET one gate; 404 for an unknown lead', async () => {
    const r = await get(`${A()}/gates/lead-booked`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ leadId: 'lead-booked', mayEnroll: false, mustPause: true, reason: 'booked' });
    expect((await get(`${A()}/gates/nobody`)).status).toBe(404);
    expect((await get(`${A()}/gates/lead-booked`, b.auth)).status).toBe(403);
  });

  it('POST gates:query answers in request order; unknown leads found:false; ≤ 1,000 ids', async () => {
    const q = (leadIds: unknown, who = a.auth) =>
      http(t.baseUrl, 'POST', `${A()}/gates:query`, { headers: who, body: { leadIds } });
    const r = await q(['ne-0', 'nobody', 'lead-booked', 'lead-b']);
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([
      { leadId: 'ne-0', found: true, mayEnroll: true, mustPause: false, reason: 'not_booked' },
      { leadId: 'nobody', found: false, mayEnroll: false, mustPause: false, reason: 'unknown_lead' },
      { leadId: 'lead-booked', found: true, mayEnroll: false, mustPause: true, reason: 'booked' },
      { leadId: 'lead-b', found: false, mayEnroll: false, mustPause: false, reason: 'unknown_lead' },
    ]);
    const thousand = await q(Array.from({ length: 1000 }, (_, i) => `x-${i}`));
    expect(thousand.status).toBe(200);
    expect(thousand.body.items).toHaveLength(1000);
    expect((await q(Array.from({ length: 1001 }, (_, i) => `x-${i}`))).status).toBe(400);
    expect((await q([])).status).toBe(400);
    expect((await q('lead-booked')).status).toBe(400);
    expect((await q(['ne-0'], b.auth)).status).toBe(403);
    expect((await q(['ne-0'], {})).status).toBe(401);
  });
});

describe('stats', () => {
  it('counts per state, open mismatches per kind, open tasks, last reconciliation, projection lag', async () => {
    const r = await get(`${A()}/stats`);
    expect(r.status).toBe(200);
    expect(r.body.leadsByState).toMatchObject({ not_booked: 7, booked: 2, canceled: 1, unknown: 1 });
    expect(r.body.unknownLeads).toBe(1);
    expect(r.body.openMismatchesByKind.sentiment_booked_no_evidence).toBe(7);
    expect(r.body.openTasks).toBeGreaterThanOrEqual(1);
    expect(r.body.lastReconciliationAt).toBe('2030-05-21T00:06:00.000Z');
    expect(r.body.projectionLag.map((p: { projection: string }) => p.projection)).toEqual(
      expect.arrayContaining(['core']),
    );
    expect((await get(`${A()}/stats`, b.auth)).status).toBe(403);
  });
});

describe('read-your-writes', () => {
  it('a position the projections have passed answers at once', async () => {
    const head = await t.store.headPosition();
    await t.caughtUp(head);
    expect((await get(`${A()}/stats?minPosition=${encodeURIComponent(head)}`)).status).toBe(200);
  });

  it('a position past the head waits, then 409 STALE_READ; a malformed one is 400', async () => {
    const [xid, pos] = (await t.store.headPosition()).split(':');
    const future = `${BigInt(xid ?? '0') + 1_000_000n}:${BigInt(pos ?? '0') + 1_000_000n}`;
    const started = Date.now();
    const r = await get(`${A()}/mismatches?minPosition=${future}`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('STALE_READ');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const bad = await http(t.baseUrl, 'GET', `${A()}/leads/ne-0`, {
      headers: { ...a.auth, 'x-recon-min-position': 'garbage' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('POSITION_INVALID');
  });
});
