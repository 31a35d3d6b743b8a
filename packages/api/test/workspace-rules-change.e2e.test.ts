/**
 * Issue 13, defect 7, over HTTP: changing the workspace rules is a fact in the log. A PUT of the
 * settings that changes `bookedSentimentLabels` / `autoCorrectSentiment` appends
 * `WorkspaceRulesChanged` on `workspace-<ws>` (the same rules again append nothing), the core
 * projection re-evaluates the workspace's leads without any new lead event, and a rebuild gives
 * exactly the live read models.
 */
import { workspaceStreamName } from '@recon/domain';
import { startProjections, rebuildProjections, type ProjectionsHandle } from '@recon/projections';
import { sql, type Kysely } from 'kysely';
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from './testing/http';
import { admin, startTestApp, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

let t: TestApp;
let projections: ProjectionsHandle;

beforeAll(async () => {
  t = await startTestApp({ name: 'workspace-rules-change', listen: true });
  // No rules source but the log: the projections' fallback is the domain default.
  projections = startProjections({
    store: t.store,
    db: t.db,
    clock: () => new Date('2026-05-28T00:00:00.000Z'),
    options: { lockPollMs: 50, idleMs: 5 },
  });
});
afterAll(async () => {
  await projections?.stop();
  await t?.close();
});

async function caughtUp(): Promise<void> {
  expect((await projections.waitUntilCaughtUp(await t.store.lastCommittedPosition(), { timeoutMs: 60_000 })).ok).toBe(
    true,
  );
}

async function readModels(ws: string, auth: Record<string, string>, leads: readonly string[]) {
  const mismatches = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/mismatches?limit=100`, { headers: auth });
  expect(mismatches.status).toBe(200);
  const open = (mismatches.body['items'] as { leadId: string; kind: string }[])
    .map((m) => `${m.leadId} ${m.kind}`)
    .sort();
  const gates: string[] = [];
  for (const lead of leads) {
    const gate = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/gates/${lead}`, { headers: auth });
    expect(gate.status, JSON.stringify(gate.body)).toBe(200);
    gates.push(
      `${lead} ${String(gate.body['reason'])} enroll=${String(gate.body['mayEnroll'])} pause=${String(gate.body['mustPause'])}`,
    );
  }
  return { open, gates };
}

const TABLES = [
  'lead_lifecycle',
  'mismatches',
  'automation_gates',
  'follow_up_tasks',
  'workspace_stats',
  'workspace_rules',
] as const;

/** Every core row of the workspace (positions included), as sorted JSON per table. */
async function coreRows(ws: string): Promise<Record<string, string[]>> {
  const db = t.db as unknown as Kysely<unknown>;
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const { rows } = await sql<{
      r: unknown;
    }>`SELECT row_to_json(x) AS r FROM ${sql.table(table)} x WHERE workspace_id = ${ws}`.execute(db);
    out[table] = rows.map((row) => JSON.stringify(row.r)).sort();
  }
  return out;
}

describe('workspace rules changes (HTTP)', () => {
  it('a settings PUT re-evaluates the leads without a lead event; the same rules again record nothing; rebuild equals live', {
    timeout: 120_000,
  }, async () => {
    const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, 'rules-change');
    const leads = ['rules-interested', 'rules-booked'];
    const labels = ['Interested', 'Meeting Booked'];
    for (const [i, lead] of leads.entries()) {
      const put = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/${lead}`, {
        headers: auth,
        body: { sentiment: { label: labels[i], classifiedAt: '2026-05-20T10:00:00Z' } },
      });
      expect(put.status).toBe(201);
    }
    // Not yet checked with a provider (unverified): sequences pause only where the sentiment claims a booking.
    // (Polled: the projections are starting up.)
    await waitFor(
      async () => {
        expect(await readModels(ws, auth, leads)).toEqual({
          open: [],
          gates: [
            'rules-interested unverified enroll=false pause=false',
            'rules-booked unverified enroll=false pause=true',
          ],
        });
        return true;
      },
      { timeoutMs: 60_000, description: 'the leads projected' },
    );

    // "Interested" now means booked, "Meeting Booked" no longer does, and sentiment is not auto-corrected.
    const settings = { bookedSentimentLabels: ['Interested'], autoCorrectSentiment: false };
    const put = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/settings`, { headers: admin, body: settings });
    expect(put.status).toBe(200);
    const stream = workspaceStreamName(ws);
    expect(
      (await t.store.readStream(stream)).map((e) => [
        e.type,
        e.data['bookedSentimentLabels'],
        e.data['autoCorrectSentiment'],
      ]),
    ).toEqual([['WorkspaceRulesChanged', ['Interested'], false]]);
    await caughtUp();
    const live = await readModels(ws, auth, leads);
    expect(live).toEqual({
      open: [],
      gates: [
        'rules-interested unverified enroll=false pause=true',
        'rules-booked unverified enroll=false pause=false',
      ],
    });

    // The same rules again: no new fact.
    expect(
      (
        await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/settings`, {
          headers: admin,
          body: { ...settings, reconcileIntervalMinutes: 30 },
        })
      ).status,
    ).toBe(200);
    expect(await t.store.readStream(stream)).toHaveLength(1);

    const before = await coreRows(ws);
    expect(before['workspace_rules']).toHaveLength(1);
    const rebuilt = await rebuildProjections({ store: t.store, db: t.db }, ['core']);
    expect(rebuilt.ok).toBe(true);
    await caughtUp();
    expect(await coreRows(ws)).toEqual(before);
    expect(await readModels(ws, auth, leads)).toEqual(live);
  });
});
