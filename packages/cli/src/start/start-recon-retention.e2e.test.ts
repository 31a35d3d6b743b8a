/**
 * Retention in `recon start`, against PostgreSQL: each role prunes the tables it owns (scheduler:
 * the outbox and backfill jobs; projections: dead letters), only what finished more than
 * RECON_RETENTION_DAYS ago; newer and unfinished rows stay; an HTTP-only process prunes nothing.
 */
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliConfig } from '../runtime/resolve-config';
import type { Role } from '../runtime/roles';
import { startTestConfig, type StartTestConfig } from '../testing/start-test-config';
import { startRecon } from './start-recon';

let setup: StartTestConfig | undefined;
let config: CliConfig;
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

beforeAll(async () => {
  setup = await startTestConfig('retention', { RECON_RETENTION_DAYS: '30' });
  config = setup.config;
}, 60_000);

afterAll(async () => {
  await setup?.cleanup();
});

async function seed(db: Kysely<unknown>, tag: string): Promise<void> {
  await sql`
    INSERT INTO notification_outbox (id, workspace_id, lead_id, type, body, status, occurred_at, deadline_at, delivered_at, failed_at)
    VALUES (gen_random_uuid(), ${tag}, 'old-sent', 't', '{}', 'delivered', ${daysAgo(40)}, ${daysAgo(39)}, ${daysAgo(31)}, NULL),
           (gen_random_uuid(), ${tag}, 'new-sent', 't', '{}', 'delivered', ${daysAgo(2)}, ${daysAgo(1)}, ${daysAgo(1)}, NULL),
           (gen_random_uuid(), ${tag}, 'old-pending', 't', '{}', 'pending', ${daysAgo(40)}, ${daysAgo(39)}, NULL, NULL)`.execute(
    db,
  );
  await sql`
    INSERT INTO backfill_jobs (id, workspace_id, status, providers, cursor, created_at, updated_at, finished_at)
    VALUES (${`${tag}-old-done`}, ${tag}, 'completed', '[]', '{}', ${daysAgo(40)}, ${daysAgo(40)}, ${daysAgo(35)}),
           (${`${tag}-new-done`}, ${tag}, 'failed', '[]', '{}', ${daysAgo(3)}, ${daysAgo(3)}, ${daysAgo(3)}),
           (${`${tag}-running`}, ${tag}, 'queued', '[]', '{}', ${daysAgo(40)}, ${daysAgo(40)}, NULL)`.execute(db);
  await sql`
    INSERT INTO projection_dead_letters
      (projection, event_id, position, stream_name, event_type, error_code, error_detail, attempts, status, first_seen_at, last_seen_at)
    VALUES ('none', ${`${tag}-old`}, '1', 's', 't', 'X', 'x', 3, 'skipped', ${daysAgo(40)}, ${daysAgo(40)}),
           ('none', ${`${tag}-new`}, '1', 's', 't', 'X', 'x', 3, 'skipped', ${daysAgo(1)}, ${daysAgo(1)}),
           ('none', ${`${tag}-retrying`}, '1', 's', 't', 'X', 'x', 1, 'retrying', ${daysAgo(40)}, ${daysAgo(40)})`.execute(
    db,
  );
}

async function remaining(db: Kysely<unknown>, tag: string): Promise<Record<string, string[]>> {
  const q = async (text: ReturnType<typeof sql<{ k: string }>>) => (await text.execute(db)).rows.map((r) => r.k).sort();
  return {
    outbox: await q(sql<{ k: string }>`SELECT lead_id AS k FROM notification_outbox WHERE workspace_id = ${tag}`),
    backfills: await q(sql<{ k: string }>`SELECT id AS k FROM backfill_jobs WHERE workspace_id = ${tag}`),
    deadLetters: await q(
      sql<{ k: string }>`SELECT event_id AS k FROM projection_dead_letters WHERE event_id LIKE ${`${tag}-%`}`,
    ),
  };
}

async function pruneWith(roles: readonly Role[], tag: string) {
  const recon = await startRecon(config, pino({ level: 'silent' }), { roles: new Set(roles) });
  try {
    await seed(recon.runtime.db, tag);
    const deleted = recon.retention === null ? null : await recon.retention.runNow();
    return { deleted, left: await remaining(recon.runtime.db, tag) };
  } finally {
    await recon.stop();
  }
}

describe('retention in recon start', () => {
  it('the scheduler role prunes the outbox and backfill jobs; the projections role its dead letters', async () => {
    const scheduler = await pruneWith(['scheduler'], 'sch');
    expect(scheduler.deleted).toMatchObject({ notification_outbox: 1, backfill_jobs: 1 });
    expect(scheduler.left).toEqual({
      outbox: ['new-sent', 'old-pending'],
      backfills: ['sch-new-done', 'sch-running'],
      deadLetters: ['sch-new', 'sch-old', 'sch-retrying'],
    });
    const projections = await pruneWith(['projections'], 'prj');
    // its own old one and the one the scheduler-only process left
    expect(projections.deleted).toEqual({ projection_dead_letters: 2 });
    expect(projections.left.deadLetters).toEqual(['prj-new', 'prj-retrying']);
    expect(projections.left.outbox).toEqual(['new-sent', 'old-pending', 'old-sent']);
  }, 60_000);

  it('an HTTP-only process runs no retention', async () => {
    const api = await pruneWith(['api'], 'api');
    expect(api.deleted).toBeNull();
    expect(api.left.backfills).toEqual(['api-new-done', 'api-old-done', 'api-running']);
  }, 60_000);
});
