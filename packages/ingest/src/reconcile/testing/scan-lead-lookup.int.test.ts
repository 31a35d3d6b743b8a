/**
 * The tests' store-scan lead lookup answers from every committed event: a lead appended just
 * before is found although an older transaction elsewhere on the server is still open (the store's
 * global reads wait for it; the lookup reads past it once it ends instead of answering "no lead").
 */
import { randomUUID } from 'node:crypto';
import { leadStreamName } from '@recon/domain';
import { createPostgresEventStore, START, type EventStore } from '@recon/eventstore';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventStoreSchema } from '../../testing/test-schemas';
import { scanLeadLookup } from './scan-lead-lookup';

let database: FreshDatabase;
let store: EventStore;

beforeAll(async () => {
  database = await freshDatabase({ name: 'scan-lead-lookup', schemas: eventStoreSchema });
  store = createPostgresEventStore({ connectionString: database.url });
});
afterAll(async () => {
  await store?.close();
  await database?.drop();
});

async function register(workspaceId: string, leadId: string, ghlContactId: string): Promise<void> {
  const data = {
    workspaceId,
    leadId,
    emailHash: null,
    alternateEmailHashes: [],
    ghlContactId,
    registeredAt: '2030-06-01T10:00:00.000Z',
  };
  const r = await store.append(leadStreamName(workspaceId, leadId), [
    { id: randomUUID(), type: 'LeadRegistered', data },
  ]);
  if (!r.ok) throw new Error(`append failed: ${r.code}`);
}

describe('scanLeadLookup', () => {
  it('finds a lead committed while an older transaction on the server is still open', async () => {
    const lookup = scanLeadLookup(store);
    await register('ws-scan', 'early', 'contact-early');
    expect(await lookup.findLead('ws-scan', { kind: 'ghl_contact', ghlContactId: 'contact-early' })).toBe('early');

    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    let ended = false;
    let rollback: Promise<unknown> = Promise.resolve();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      await register('ws-scan', 'late', 'contact-late');
      // The store's global reads do not show the new lead while the holder is open...
      expect((await store.readAll(START, 10)).events.map((e) => e.streamName)).not.toContain(
        leadStreamName('ws-scan', 'late'),
      );
      // ...the lookup waits for them rather than answering from the stale view.
      const found = lookup.findLead('ws-scan', { kind: 'ghl_contact', ghlContactId: 'contact-late' });
      setTimeout(() => {
        ended = true;
        rollback = holder.query('ROLLBACK');
      }, 300);
      expect(await found).toBe('late');
      expect(ended).toBe(true);
    } finally {
      if (!ended) await holder.query('ROLLBACK').catch(() => undefined);
      await rollback.catch(() => undefined);
      await holder.end();
    }
  });
});
