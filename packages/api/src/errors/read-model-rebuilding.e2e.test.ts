/**
 * An upgrade that changes a projection's tables: until the first rebuild swaps the new generation
 * in, the live views lack what this version reads. Reads answer 503 READ_MODEL_REBUILDING with
 * Retry-After (a client retries), never a 500, and answer again once the view is back.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startReadTestContext, type ReadTestContext } from '../testing/read-test-context';
import { Seeder } from '../testing/seeder';

let t: ReadTestContext;
let a: Awaited<ReturnType<ReadTestContext['workspace']>>;

beforeAll(async () => {
  t = await startReadTestContext('read-model-rebuilding');
  a = await t.workspace('A');
  await t.caughtUp(await new Seeder(a.ws).canceledMeeting('lead-1').flush(t.store));
});
afterAll(async () => {
  await t?.close();
});

describe('a read model that is not live yet', () => {
  it('answers 503 READ_MODEL_REBUILDING with Retry-After while a view this version reads is missing, then recovers', async () => {
    const path = `/v1/workspaces/${a.ws}/leads/lead-1`;
    expect((await http(t.baseUrl, 'GET', path, { headers: a.auth })).status).toBe(200);
    const { rows } = await sql<{ definition: string }>`
      SELECT pg_get_viewdef('public.lead_provider_checks'::regclass) AS definition`.execute(t.db);
    const definition = (rows[0] as { definition: string }).definition;
    await sql`DROP VIEW public.lead_provider_checks`.execute(t.db);
    try {
      const refused = await http(t.baseUrl, 'GET', path, { headers: a.auth });
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('READ_MODEL_REBUILDING');
      expect(refused.headers.get('retry-after')).toBe('5');
    } finally {
      await sql.raw(`CREATE VIEW public.lead_provider_checks AS ${definition}`).execute(t.db);
    }
    expect((await http(t.baseUrl, 'GET', path, { headers: a.auth })).status).toBe(200);
  });
});
