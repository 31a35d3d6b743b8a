/**
 * The tiered due-lead selection answers exactly what the single query it replaced answered (kept
 * here as the reference), on random schedules: every lead state, attempt age and meeting end
 * around the windows, erased contacts, another workspace, limits small and large.
 */
import { freshKysely, type FreshDatabase } from '@recon/testkit';
import { createWorkspace, migrateWorkspaces, type WorkspacesDatabase } from '@recon/workspaces';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateIngest } from '../reconcile/migrate-ingest';
import type { ReconcileDatabase } from '../reconcile/reconcile-tables';
import { countDueLeads, selectDueLeads, type DueLeadsQuery } from './select-due-leads';

let database: FreshDatabase;
let db: Kysely<ReconcileDatabase>;
const now = new Date('2030-06-01T12:00:00.000Z');

beforeAll(async () => {
  ({ database, db } = await freshKysely<ReconcileDatabase>({
    name: 'select-due-leads',
    schemas: { workspaces: ({ db }) => migrateWorkspaces(db), ingest: ({ db }) => migrateIngest(db) },
  }));
});
afterAll(async () => {
  await database.drop();
});

/** The query before the tiers: one pass over the contacts joined to their schedule. */
async function reference(q: DueLeadsQuery): Promise<{ leads: string[]; count: number }> {
  const intervalMs = q.intervalMinutes * 60_000;
  const due = new Date(q.now.getTime() - intervalMs);
  const nearDue = new Date(q.now.getTime() - Math.min(intervalMs / 4, 15 * 60_000));
  const near = sql`(r.booking_state = 'booked' AND r.current_end_at BETWEEN ${new Date(q.now.getTime() - 2 * 3_600_000)} AND ${new Date(q.now.getTime() + 24 * 3_600_000)})`;
  const where = sql`c.workspace_id = ${q.workspaceId} AND (r.lead_id IS NULL OR r.last_attempt_at < ${due} OR (${near} AND r.last_attempt_at < ${nearDue}))`;
  const from = sql`lead_contacts c LEFT JOIN reconcile_leads r ON r.workspace_id = c.workspace_id AND r.lead_id = c.lead_id`;
  const { rows } = await sql<{ lead_id: string }>`SELECT c.lead_id FROM ${from} WHERE ${where}
    ORDER BY CASE WHEN r.lead_id IS NULL THEN 0 WHEN ${near} THEN 1 ELSE 2 END, r.last_attempt_at NULLS FIRST, c.lead_id
    LIMIT ${q.limit}`.execute(db);
  const { rows: n } = await sql<{ n: string }>`SELECT count(*) AS n FROM ${from} WHERE ${where}`.execute(db);
  return { leads: rows.map((r) => r.lead_id), count: Number(n[0]?.n ?? 0) };
}

/** Deterministic pseudo-random numbers (replayable). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('selectDueLeads / countDueLeads', () => {
  it('answer as the single query did, on random schedules', async () => {
    const rnd = random(16);
    const wdb = db as unknown as Kysely<WorkspacesDatabase>; // one database, both schemas
    const spaces = [
      (await createWorkspace(wdb, { name: 'due', now })).id,
      (await createWorkspace(wdb, { name: 'other', now })).id,
    ];
    const minutes = (m: number) => new Date(now.getTime() + m * 60_000);
    for (const ws of spaces) {
      for (let i = 0; i < 300; i++) {
        const lead = `lead-${String(i).padStart(3, '0')}`;
        const contact = rnd() < 0.9; // else erased: a schedule row without a contact
        if (contact)
          await sql`INSERT INTO lead_contacts (workspace_id, lead_id, alternate_emails, updated_at)
            VALUES (${ws}, ${lead}, '[]', ${now})`.execute(db);
        if (rnd() < 0.2) continue; // never checked
        const state = ['booked', 'booked', 'not_booked', 'canceled', 'unknown'][Math.floor(rnd() * 5)]!;
        const end = rnd() < 0.2 ? null : minutes(Math.round((rnd() - 0.5) * 3_600)); // ±30 h around now
        const attempt = minutes(-Math.round(rnd() * 180)); // up to 3 h ago
        // identical attempt times, so ties fall to the lead id
        const at = rnd() < 0.1 ? minutes(-30) : attempt;
        await sql`INSERT INTO reconcile_leads (workspace_id, lead_id, last_attempt_at, booking_state, current_end_at)
          VALUES (${ws}, ${lead}, ${at}, ${state}, ${end})`.execute(db);
      }
    }
    let due = 0;
    for (const intervalMinutes of [5, 30, 60, 120, 1_440])
      for (const limit of [1, 7, 50, 1_000]) {
        const q = { workspaceId: spaces[0]!, now, intervalMinutes, limit };
        const want = await reference(q);
        expect(await selectDueLeads(db, q)).toEqual(want.leads);
        expect(await countDueLeads(db, q)).toBe(want.count);
        due += want.count;
      }
    expect(due).toBeGreaterThan(1_000); // not a vacuous comparison
  });
});
