/**
 * A rebuild must not swallow live side effects: events the old live runner had not reached when
 * the new generation was swapped in still reach the batch side effects (the notification outbox)
 * exactly once, and events it had already handled never reach them again. The side effect here
 * writes one row per event inside the batch transaction, so only committed batches count.
 */
import type { ReconEvent } from '@recon/domain';
import { START, type Position } from '@recon/eventstore';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rebuildProjections, startProjections, type BatchSideEffect, type ProjectionsHandle } from '../src/index';
import { liveGeneration, readCheckpoint } from '../src/runtime/generations';
import { Scenario } from '@recon/domain/testing';
import { appendEvents } from '@recon/testkit';
import { at, setupDatabase, type TestContext } from './testing/projections-test-context';

let t: TestContext;
const db = () => t.db as Kysely<unknown>;

beforeAll(async () => {
  t = await setupDatabase('projection-rebuild-side-effects');
  await sql`CREATE TABLE test_side_effects (seq bigserial PRIMARY KEY, event_id text NOT NULL, position text NOT NULL)`.execute(
    t.db,
  );
});
afterAll(async () => {
  await t.close();
});

const recordEvents: BatchSideEffect = async (trx, batch) => {
  for (const e of batch.events) {
    await sql`INSERT INTO test_side_effects (event_id, position) VALUES (${e.recorded.id}, ${e.recorded.position})`.execute(
      trx,
    );
  }
};

function start(): ProjectionsHandle {
  return startProjections({
    store: t.store,
    db: t.db,
    clock: () => new Date(),
    names: ['core'],
    sideEffects: [recordEvents],
    options: { lockPollMs: 50, idleMs: 5 },
  });
}

async function settle(handle: ProjectionsHandle): Promise<void> {
  expect(await handle.waitUntilCaughtUp(await t.store.lastCommittedPosition(), { timeoutMs: 20_000 })).toMatchObject({
    ok: true,
  });
}

function leads(s: Scenario, from: number, count: number): ReconEvent[] {
  const out: ReconEvent[] = [];
  for (let i = from; i < from + count; i += 1) {
    const leadId = `L${i}`;
    out.push(
      s.registered(leadId),
      s.sentiment(leadId, 'Interested', at(i)),
      ...s.observe({ providerAppointmentId: `g${i}`, leadId, providerUpdatedAt: at(i) }),
    );
  }
  return out;
}

async function sideEffectCounts(): Promise<Map<string, number>> {
  const { rows } = await sql<{
    event_id: string;
    n: string;
  }>`SELECT event_id, count(*) AS n FROM test_side_effects GROUP BY event_id`.execute(t.db);
  return new Map(rows.map((r) => [r.event_id, Number(r.n)]));
}

async function allEvents(): Promise<{ id: string; position: Position }[]> {
  const out: { id: string; position: Position }[] = [];
  let from = START;
  for (;;) {
    const page = await t.store.readAll(from, 1_000);
    if (page.events.length === 0) return out;
    out.push(...page.events.map((e) => ({ id: e.id, position: e.position })));
    from = page.next;
  }
}

async function liveCheckpoint(): Promise<Position> {
  const live = await liveGeneration(db(), 'core');
  const cp = live === null ? null : await readCheckpoint(db(), 'core', live.generation);
  if (cp === null) throw new Error('no live checkpoint');
  return cp.position;
}

/** Every event in the log reached the side effect exactly once. */
async function expectEachEventOnce(): Promise<void> {
  const counts = await sideEffectCounts();
  const events = await allEvents();
  expect(events.length).toBeGreaterThan(0);
  expect(events.filter((e) => counts.get(e.id) !== 1).map((e) => [e.id, counts.get(e.id) ?? 0])).toEqual([]);
  expect(counts.size).toBe(events.length);
}

it('events the stopped live runner had not reached get their side effects once, after the rebuild', {
  timeout: 60_000,
}, async () => {
  const s = new Scenario('ws-gap');
  let handle = start();
  await appendEvents(t.store, leads(s, 0, 5));
  await settle(handle);
  await handle.stop();
  const oldCheckpoint = await liveCheckpoint();
  const before = await sideEffectCounts();

  // Appended while no runner runs: the old live generation never sees them.
  const tail = leads(s, 5, 4);
  await appendEvents(t.store, tail);
  const result = await rebuildProjections({ store: t.store, db: t.db }, ['core'], { pageSize: 4 });
  expect(result.ok).toBe(true);
  // The new generation stops exactly where the old runner did; the rebuild itself sent nothing.
  expect(await liveCheckpoint()).toBe(oldCheckpoint);
  expect(await sideEffectCounts()).toEqual(before);
  // …and its read model already holds everything up to that checkpoint.
  const leadsBuilt = await sql<{
    n: string;
  }>`SELECT count(*) AS n FROM lead_lifecycle WHERE workspace_id = 'ws-gap'`.execute(t.db);
  expect(leadsBuilt.rows[0]?.n).toBe('5');

  handle = start();
  try {
    await settle(handle);
  } finally {
    await handle.stop();
  }
  await expectEachEventOnce();
  const after = await sql<{
    event_id: string;
    position: string;
  }>`SELECT event_id, position FROM test_side_effects WHERE event_id <> ALL(${[...before.keys()]})`.execute(t.db);
  expect(after.rows).toHaveLength(tail.length);
  for (const r of after.rows)
    expect(t.store.comparePositions(r.position as Position, oldCheckpoint)).toBeGreaterThan(0);
  for (const id of before.keys()) {
    const e = (await allEvents()).find((x) => x.id === id);
    expect(e !== undefined && t.store.comparePositions(e.position, oldCheckpoint) <= 0).toBe(true);
  }
});

it('events appended while a rebuild runs and swaps reach the side effects exactly once', {
  timeout: 60_000,
}, async () => {
  const s = new Scenario('ws-race');
  const handle = start();
  try {
    await appendEvents(t.store, leads(s, 0, 10));
    await settle(handle);
    // Appends run beside the rebuild (small pages keep it busy long enough to overlap the swap).
    const appender = (async () => {
      for (let i = 10; i < 40; i += 1) await appendEvents(t.store, leads(s, i, 1));
    })();
    const [result] = await Promise.all([
      rebuildProjections({ store: t.store, db: t.db }, ['core'], { pageSize: 5 }),
      appender,
    ]);
    expect(result.ok).toBe(true);
    await settle(handle);
  } finally {
    await handle.stop();
  }
  await expectEachEventOnce();
  const built = await sql<{
    n: string;
  }>`SELECT count(*) AS n FROM lead_lifecycle WHERE workspace_id = 'ws-race'`.execute(t.db);
  expect(built.rows[0]?.n).toBe('40');
});
