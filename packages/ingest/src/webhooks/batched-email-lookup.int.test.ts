import { migrateProjections } from '@recon/projections';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchedEmailLookup } from './batched-email-lookup';

let database: FreshDatabase;
let db: Kysely<unknown>;
const H = (c: string) => c.repeat(64);

beforeAll(async () => {
  database = await freshDatabase({ name: 'batched-email-lookup' });
  db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: database.pool }) });
  await migrateProjections(db);
  const rows: [string, string, string | null, string[]][] = [
    ['ws_a', 'lead-2', H('a'), []],
    ['ws_a', 'lead-1', H('a'), []],
    ['ws_a', 'lead-0', H('c'), [H('a'), H('b')]],
    ['ws_a', 'lead-9', null, [H('b')]],
    ['ws_b', 'lead-x', H('d'), []],
  ];
  for (const [ws, lead, email, alternates] of rows) {
    await sql`INSERT INTO lead_identities (workspace_id, lead_id, email_hash, alternate_email_hashes, ghl_contact_id, position)
      VALUES (${ws}, ${lead}, ${email}, ${alternates}::text[], NULL, '0')`.execute(db);
  }
});
afterAll(async () => {
  await database?.drop();
});

describe('batched email lookup', () => {
  it('primary beats alternate, an email on two leads at one rank is ambiguous (never the smallest id), workspaces never mix; concurrent asks share a query', async () => {
    const lookup = createBatchedEmailLookup(db);
    const [a, b, c, d, none] = await Promise.all([
      lookup('ws_a', H('a')),
      lookup('ws_a', H('b')),
      lookup('ws_a', H('c')),
      lookup('ws_a', H('d')),
      lookup('ws_b', H('a')),
    ]);
    expect(a).toEqual({ ambiguous: ['lead-1', 'lead-2'] });
    expect(b).toEqual({ ambiguous: ['lead-0', 'lead-9'] });
    expect(c).toEqual({ leadId: 'lead-0', matchedBy: 'email' });
    expect(d).toBeNull();
    expect(none).toBeNull();
    expect(await lookup('ws_b', H('d'))).toEqual({ leadId: 'lead-x', matchedBy: 'email' });
  });
});
