/**
 * Crash test: the runner runs in a child process and is SIGKILLed inside a batch transaction;
 * a restarted runner finishes the job, and the read models equal a clean rebuild of the same log.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@recon/testkit';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rebuildProjections, startProjections } from '../src/index';
import { generateHistory } from './testing/generate-history';
import { snapshotViews } from './testing/snapshot';
import { appendEvents } from '@recon/testkit';
import { setupDatabase, type TestContext } from './testing/projections-test-context';

const here = path.dirname(fileURLToPath(import.meta.url));
let t: TestContext;

beforeAll(async () => {
  t = await setupDatabase('projection-crash');
});
afterAll(async () => {
  await t.close();
});

it('a runner killed mid-batch resumes to the same read models as a clean rebuild', { timeout: 120_000 }, async () => {
  const history = generateHistory({ leads: 150, workspaces: 3, seed: 7 });
  const last = await appendEvents(t.store, history);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'testing', 'crash-child.ts')], {
    env: { ...process.env, CRASH_DATABASE_URL: t.fresh.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await waitFor(() => (output.match(/IN_BATCH/g) ?? []).length >= 4, {
    timeoutMs: 60_000,
    description: `child in its 4th batch (output: ${output.slice(-500)})`,
  });
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');

  const applied = await sql<{ position: string }>`
    SELECT c.position FROM projection_checkpoints c JOIN projection_generations g USING (projection, generation) WHERE projection = 'core'`.execute(
    t.db,
  );
  const killedAt = applied.rows[0]?.position ?? 'start';
  expect(killedAt === 'start' || t.store.comparePositions(killedAt as never, last) < 0).toBe(true);

  const restarted = startProjections({
    store: t.store,
    db: t.db,
    clock: () => new Date(),
    options: { lockPollMs: 50, idleMs: 5 },
  });
  try {
    const r = await restarted.waitUntilCaughtUp(last, { timeoutMs: 60_000 });
    expect(r.ok).toBe(true);
    // The link process manager appends events of its own: let them land and be projected too.
    await waitFor(
      async () => {
        const pending = await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM projection_link_requests WHERE status = 'pending'`.execute(t.db);
        if (pending.rows[0]?.n !== '0') return false;
        return (await restarted.waitUntilCaughtUp(await t.store.lastCommittedPosition(), { timeoutMs: 200 })).ok;
      },
      { timeoutMs: 30_000, description: 'links dispatched and projected' },
    );
  } finally {
    await restarted.stop();
  }
  const resumed = await snapshotViews(t.db);
  expect(resumed['lead_lifecycle']?.length).toBe(150);
  const rebuilt = await rebuildProjections({ store: t.store, db: t.db as Kysely<unknown> });
  expect(rebuilt.ok).toBe(true);
  expect(await snapshotViews(t.db)).toEqual(resumed);
});
