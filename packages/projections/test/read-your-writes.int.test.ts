/**
 * Read-your-writes under an open transaction elsewhere on the server: the PostgreSQL store's global
 * reads (and its `headPosition`) stop behind the oldest transaction still running anywhere on the
 * cluster, so a wait aimed at that head can return before the caller's own committed append is
 * applied. `waitUntilCaughtUp()` aims at the last committed event instead: it reports "not caught
 * up" while the append is hidden, and once it says ok the append's task is in the read model.
 */
import { Scenario } from '@recon/domain/testing';
import { appendEvents } from '@recon/testkit';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjections, type ProjectionsHandle } from '../src/index';
import { at, setupDatabase, type TestContext } from './testing/projections-test-context';

let t: TestContext;
let projections: ProjectionsHandle;

beforeAll(async () => {
  t = await setupDatabase('projection-read-your-writes');
  projections = startProjections({
    store: t.store,
    db: t.db,
    clock: () => new Date('2030-06-10T00:00:00.000Z'),
    options: { lockPollMs: 50, idleMs: 5, linkDispatchIntervalMs: 100 },
  });
});
afterAll(async () => {
  await projections?.stop();
  await t?.close();
});

const tasksOf = async (workspaceId: string) =>
  (
    await sql<{ kind: string; severity: string; status: string }>`
      SELECT kind, severity, status FROM follow_up_tasks WHERE workspace_id = ${workspaceId}`.execute(t.db)
  ).rows;

describe('waitUntilCaughtUp', () => {
  it('does not report caught up before an append hidden by an older open transaction is applied', async () => {
    const s = new Scenario('ws-ryw');
    const booked = await appendEvents(t.store, [
      s.registered('L1'),
      s.sentiment('L1', 'Meeting Booked'),
      ...s.observe({ providerAppointmentId: 'g1', leadId: 'L1', providerUpdatedAt: at(1) }),
    ]);
    expect(await projections.waitUntilCaughtUp(booked, { timeoutMs: 15_000 })).toMatchObject({ ok: true });

    // Another session's transaction (another test, a migration, a batch) holds an xid while we append.
    const holder = new pg.Client({ connectionString: t.fresh.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      const canceled = await appendEvents(
        t.store,
        s.observe({ providerAppointmentId: 'g1', leadId: 'L1', status: 'canceled', providerUpdatedAt: at(2) }),
      );
      // The append is committed, but global reads do not show it yet: the head trails it.
      expect(t.store.comparePositions(await t.store.headPosition(), canceled)).toBeLessThan(0);
      expect(t.store.comparePositions(await t.store.lastCommittedPosition(), canceled)).toBeGreaterThanOrEqual(0);

      const early = await projections.waitUntilCaughtUp(undefined, { timeoutMs: 300 });
      expect(early).toMatchObject({ ok: false, code: 'PROJECTION_NOT_CAUGHT_UP' });
      expect(t.store.comparePositions(early.position, canceled)).toBeGreaterThanOrEqual(0);
      expect(await tasksOf('ws-ryw')).toEqual([]);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }

    expect(await projections.waitUntilCaughtUp(undefined, { timeoutMs: 15_000 })).toMatchObject({ ok: true });
    expect(await tasksOf('ws-ryw')).toEqual([{ kind: 'meeting-canceled', severity: 'red', status: 'open' }]);
  });
});
