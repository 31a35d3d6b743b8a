/**
 * The JSON text PostgreSQL writes for the hot reads is byte for byte what the routes wrote before
 * from decoded rows (JSON.stringify of the named row → API mappers), through named statements
 * (each query runs twice: prepared, then reused) on rows with the awkward cases: nulls, escapes,
 * microseconds, a resolved row and another workspace's rows that must not show.
 */
import { createPostgresEventStore, migrateEventStore } from '@recon/eventstore';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateProjections } from '../migrate-projections';
import { rebuildProjections } from '../rebuild-projections';
import { encodeCursor } from './cursor';
import { effectiveGate } from './effective-state';
import { gatesJson, UNKNOWN_LEAD_GATE } from './gate-queries';
import { mismatchPageJson, toMismatchItem } from './mismatch-queries';
import { withNamedStatements } from './named-statements';
import type { ProjectionsDatabase } from './projections-database';
import { getStats } from './stats-queries';

let fresh: FreshDatabase;
let db: Kysely<ProjectionsDatabase>;
const WS = 'ws-json';
const now = new Date('2030-06-10T00:00:00.000Z');

beforeAll(async () => {
  fresh = await freshDatabase({
    name: 'read-json',
    schemas: { eventstore: ({ pool }) => migrateEventStore(pool), projections: ({ db }) => migrateProjections(db) },
  });
  db = new Kysely<ProjectionsDatabase>({ dialect: new PostgresDialect({ pool: withNamedStatements(fresh.pool) }) });
  const mm = (lead: string, kind: string, since: string, extra: string) =>
    sql`INSERT INTO mismatches (workspace_id, lead_id, kind, since, status, resolved_at, resolution, auto_corrected, evidence,
          sentiment_label, sentiment_at, last_inbound_at, last_message_direction, position)
        SELECT * FROM (SELECT ${WS}::text, ${lead}::text, ${kind}::text, ${since}::timestamptz, 'open'::text,
          null::timestamptz, null::text, false, '{}'::jsonb, null::text, null::timestamptz, null::timestamptz, null::text, '1:1'::text) r
        ${sql.raw(extra)}`.execute(db);
  await mm('a', 'sentiment_booked_no_evidence', '2030-06-01T10:00:00.123Z', '');
  await mm('b "quoted"\n\\ é', 'sentiment_booked_no_evidence', '2030-06-01T10:00:00.123Z', '');
  await mm('c', 'evidence_not_marked_booked', '2030-06-01T11:00:00Z', '');
  await mm('d', 'sentiment_booked_no_evidence', '2030-06-01T12:00:00Z', '');
  await sql`UPDATE mismatches SET sentiment_label = 'Meeting "Booked"', sentiment_at = '2030-05-31T23:59:59.999999Z',
      last_inbound_at = '2030-05-31T01:02:03.004Z', last_message_direction = 'inbound', auto_corrected = true,
      evidence = '[1, "x", null]'::jsonb WHERE lead_id = 'a'`.execute(db);
  await sql`UPDATE mismatches SET sentiment_label = 'Interested' WHERE lead_id = 'c'`.execute(db);
  await sql`UPDATE mismatches SET evidence = '{"checked":["ghl"],"appointments":0}'::jsonb WHERE lead_id = 'd'`.execute(
    db,
  );
  await sql`INSERT INTO mismatches SELECT workspace_id, 'e', kind, since, 'resolved', since, 'facts_changed', auto_corrected,
      evidence, sentiment_label, sentiment_at, last_inbound_at, last_message_direction, position FROM mismatches WHERE lead_id = 'a'`.execute(
    db,
  );
  await sql`INSERT INTO mismatches SELECT 'ws-other', lead_id, kind, since, status, resolved_at, resolution, auto_corrected,
      evidence, sentiment_label, sentiment_at, last_inbound_at, last_message_direction, position FROM mismatches`.execute(
    db,
  );
  await sql`INSERT INTO automation_gates (workspace_id, lead_id, may_enroll, must_pause, reason, booking_state, current_status, current_end_at, position)
    VALUES (${WS}, 'booked-ended', false, true, 'booked', 'booked', 'scheduled', '2030-06-09T00:00:00Z', '1:1'),
      (${WS}, 'booked-ahead', false, true, 'booked', 'booked', 'scheduled', '2030-06-11T00:00:00Z', '1:1'),
      (${WS}, 'nb "q"', true, false, 'not_booked', 'not_booked', null, null, '1:1'),
      ('ws-other', 'other', true, false, 'not_booked', 'not_booked', null, null, '1:1')`.execute(db);
  await sql`INSERT INTO lead_lifecycle (workspace_id, lead_id, booking_state, current_status, current_end_at, bookings,
      cancellations, reschedules, no_shows, registered, grade, grade_evidence, fold, memory, position)
    VALUES (${WS}, 'x', 'booked', 'scheduled', '2030-06-09T00:00:00Z', 1, 0, 0, 0, true, 'provider_confirmed', '[]', '{}', '{}', '1:1'),
      (${WS}, 'y', 'booked', 'scheduled', '2030-06-11T00:00:00Z', 1, 0, 0, 0, true, 'provider_confirmed', '[]', '{}', '{}', '1:1')`.execute(
    db,
  );
  await sql`INSERT INTO workspace_stats VALUES (${WS}, 'state:booked', 2), (${WS}, 'state:completed', 3)`.execute(db);
});
afterAll(async () => {
  await fresh.drop(); // ends the pool the dialect wraps
});

/** The page as the route wrote it before: rows decoded, mapped, JSON.stringify'd. */
async function expectedPage(kind: string | undefined, afterLead: string | null, limit: number): Promise<string> {
  let q = db.selectFrom('mismatches').selectAll().where('workspace_id', '=', WS).where('status', '=', 'open');
  if (kind !== undefined) q = q.where('kind', '=', kind);
  const all = await q.orderBy('since').orderBy('lead_id').orderBy('kind').execute();
  const from = afterLead === null ? 0 : all.findIndex((r) => r.lead_id === afterLead) + 1;
  const rows = all.slice(from, from + limit + 1);
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? page[page.length - 1] : undefined;
  return JSON.stringify({
    items: page.map(toMismatchItem),
    nextCursor: last === undefined ? null : encodeCursor([last.since.toISOString(), last.lead_id, last.kind]),
  });
}

/** jsonb writes its values with a space after `,` and `:`, JSON.stringify without: the only bytes that may differ. */
const jsonbSpacesRemoved = (s: string) =>
  s
    .replaceAll('[1, "x", null]', '[1,"x",null]')
    .replaceAll('{"checked": ["ghl"], "appointments": 0}', '{"checked":["ghl"],"appointments":0}');

describe('mismatch page JSON', () => {
  it('is byte for byte the decoded page, for every kind filter and page (evidence compared as JSON)', async () => {
    for (const kind of [undefined, 'sentiment_booked_no_evidence', 'evidence_not_marked_booked']) {
      for (const limit of [1, 2, 50]) {
        let cursor: string | null = null;
        let afterLead: string | null = null;
        for (let pages = 0; pages < 10; pages++) {
          let text = '';
          for (let twice = 0; twice < 2; twice++) {
            const got = await mismatchPageJson(db, WS, { ...(kind !== undefined ? { kind } : {}), limit, cursor });
            if (!got.ok) throw new Error('cursor refused');
            text = got.value;
          }
          const want = await expectedPage(kind, afterLead, limit);
          expect(JSON.parse(text)).toEqual(JSON.parse(want));
          expect(jsonbSpacesRemoved(text)).toBe(want);
          const page = JSON.parse(text) as { items: { leadId: string }[]; nextCursor: string | null };
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
          afterLead = page.items[page.items.length - 1]?.leadId ?? null;
        }
      }
    }
  });

  it('refuses a cursor it did not issue', async () => {
    expect(await mismatchPageJson(db, WS, { cursor: 'garbage' })).toEqual({ ok: false, code: 'CURSOR_INVALID' });
  });
});

describe('gates JSON', () => {
  it('is byte for byte the decoded answer: request order, duplicates, unknown leads, ended bookings read completed', async () => {
    const leadIds = ['booked-ended', 'nobody', 'booked-ahead', 'nb "q"', 'other', 'booked-ended'];
    const rows = await db.selectFrom('automation_gates').selectAll().where('workspace_id', '=', WS).execute();
    const gates = new Map(rows.map((r) => [r.lead_id, effectiveGate(r, now)]));
    const want = JSON.stringify({
      items: leadIds.map((leadId) => {
        const gate = gates.get(leadId);
        return gate === undefined ? { leadId, found: false, ...UNKNOWN_LEAD_GATE } : { leadId, found: true, ...gate };
      }),
    });
    expect(want).toContain('"reason":"completed"');
    for (let twice = 0; twice < 2; twice++) expect(await gatesJson(db, WS, leadIds, now)).toBe(want);
  });
});

describe('stats', () => {
  it('moves booked leads whose meeting ended by now to completed', async () => {
    for (let twice = 0; twice < 2; twice++) {
      const stats = await getStats(db, WS, now);
      expect(stats.leadsByState).toMatchObject({ booked: 1, completed: 4 });
    }
  });
});

describe('named statements', () => {
  it('the marked reads are prepared on the connection that ran them', async () => {
    await getStats(db, WS, now);
    // sequential queries reuse the pool's last idle connection
    const { rows } = await sql<{ name: string }>`SELECT name FROM pg_prepared_statements`.execute(db);
    expect(rows.some((r) => r.name.startsWith('recon_'))).toBe(true);
  });
});

describe('named statements across a rebuild', () => {
  it('still answer after the live generation is swapped (the views point at new tables)', async () => {
    const before = await mismatchPageJson(db, WS, { limit: 2 });
    expect(before.ok && JSON.parse(before.value).items.length).toBe(2);
    const store = createPostgresEventStore({ connectionString: fresh.url });
    try {
      const plain = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: withNamedStatements(fresh.pool) }) });
      const rebuilt = await rebuildProjections({ store, db: plain, pool: fresh.pool }, ['core']);
      expect(rebuilt.ok).toBe(true);
    } finally {
      await store.close();
    }
    // The rebuild replayed an empty log: the same statements, on the new generation, find nothing.
    for (let twice = 0; twice < 2; twice++) {
      expect(await mismatchPageJson(db, WS, { limit: 2 })).toEqual({
        ok: true,
        value: '{"items":[],"nextCursor":null}',
      });
      expect(await gatesJson(db, WS, ['booked-ended'], now)).toContain('"found":false');
      expect((await getStats(db, WS, now)).leadsByState['booked']).toBe(0);
    }
  });
});
