/**
 * A first rebuild (the live generation exists, as migrations create it, but never applied an
 * event) replays the whole log itself: nothing was side-effected yet, so there is no old
 * checkpoint to stop at. Without this, `recon rebuild` on a stopped service would build nothing.
 */
import type { ReconEvent } from '@recon/domain';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rebuildProjections } from '../src/index';
import { liveGeneration, readCheckpoint } from '../src/runtime/generations';
import { Scenario } from '@recon/domain/testing';
import { appendEvents } from '@recon/testkit';
import { at, setupDatabase, type TestContext } from './testing/projections-test-context';

let t: TestContext;

beforeAll(async () => {
  t = await setupDatabase('projection-rebuild-first-build');
});
afterAll(async () => {
  await t.close();
});

it('given events and a never-run live generation, when rebuilt, then every lead is built and the checkpoint is the head', async () => {
  const s = new Scenario('ws-first');
  const events: ReconEvent[] = [];
  for (let i = 0; i < 20; i += 1) events.push(s.registered(`L${i}`), s.sentiment(`L${i}`, 'Interested', at(i)));
  const head = await appendEvents(t.store, events);

  const result = await rebuildProjections({ store: t.store, db: t.db }, ['core']);
  expect(result).toMatchObject({ ok: true });

  const rows = await t.db
    .selectFrom('lead_lifecycle')
    .select('lead_id')
    .where('workspace_id', '=', 'ws-first')
    .execute();
  expect(rows).toHaveLength(20);
  const db = t.db as Kysely<unknown>;
  const live = await liveGeneration(db, 'core');
  const checkpoint = live === null ? null : await readCheckpoint(db, 'core', live.generation);
  expect(checkpoint?.position).toBe(head);
});
