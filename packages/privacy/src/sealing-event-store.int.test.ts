/**
 * The sealing decorator over the real PostgreSQL event store: it passes the event-store contract
 * (transparent for every event it has nothing to seal in), stores no person field in clear, reads
 * back exactly what was written while the key exists, and reads those fields empty once the key
 * is destroyed — through stream reads, global reads and subscriptions alike.
 */
import { randomUUID } from 'node:crypto';
import {
  createPostgresEventStore,
  EventStoreError,
  migrateEventStore,
  START,
  type EventStore,
} from '@recon/eventstore';
import { describeEventStoreContract } from '@recon/eventstore/testing';
import { freshDatabase, waitFor, type FreshDatabase } from '@recon/testkit';
import { createSecretBox, migrateWorkspaces } from '@recon/workspaces';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSealingEventStore } from './sealing-event-store';
import { createStreamKeyring, type StreamKeyring } from './stream-keyring';

const SECRET = 'rsk_privacy-test-0123456789abcdef-0123456789';
const HASH = 'a'.repeat(64);
const ALT = 'b'.repeat(64);
let database: FreshDatabase;
let db: Kysely<unknown>;
let raw: EventStore;
let keyring: StreamKeyring;
let store: EventStore;

beforeAll(async () => {
  database = await freshDatabase({
    name: 'sealing-store',
    schemas: {
      eventstore: ({ pool }) => migrateEventStore(pool),
      workspaces: ({ db: d }) => migrateWorkspaces(d),
    },
  });
  db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: database.pool }) });
  raw = createPostgresEventStore({ connectionString: database.url, pollIntervalMs: 200 });
  keyring = createStreamKeyring({ db, box: createSecretBox(SECRET) });
  store = createSealingEventStore(raw, keyring);
});
afterAll(async () => {
  await raw.close();
  await database.drop();
});

describeEventStoreContract('PostgreSQL behind the sealing decorator', async () => {
  const inner = createPostgresEventStore({ connectionString: database.url, pollIntervalMs: 1_000 });
  return { store: createSealingEventStore(inner, keyring), teardown: () => inner.close() };
});

function registered(leadId: string, emailHash: string | null = HASH) {
  return {
    id: randomUUID(),
    type: 'LeadRegistered',
    data: {
      workspaceId: 'ws_1',
      leadId,
      emailHash,
      alternateEmailHashes: emailHash === null ? [] : [ALT],
      ghlContactId: null,
      registeredAt: '2026-03-02T14:05:20.000Z',
    },
  };
}

describe('sealing what events carry about a person', () => {
  it('stores no hash in clear and reads it back through every read path while the key exists', async () => {
    const stream = `lead-ws_1-${randomUUID()}`;
    const event = registered('lead-1');
    const appended = await store.append(stream, [event], { expectedRevision: 'no_stream' });
    expect(appended.ok).toBe(true);

    const [stored] = await raw.readStream(stream);
    expect(JSON.stringify(stored?.data)).not.toContain(HASH);
    expect(JSON.stringify(stored?.data)).not.toContain(ALT);
    expect(stored?.data).toMatchObject({ emailHash: null, alternateEmailHashes: [], leadId: 'lead-1' });

    const [read] = await store.readStream(stream);
    expect(read?.data).toEqual(event.data);
    const inLog = await waitFor(
      async () => (await store.readAll(START, 100_000)).events.find((e) => e.id === event.id),
      { timeoutMs: 20_000, description: 'the event in the global log' },
    );
    expect(inLog.data).toEqual(event.data);

    const abort = new AbortController();
    for await (const item of store.subscribe({ signal: abort.signal, streamPrefixes: [stream] })) {
      if (item.kind === 'event') {
        expect(item.event.data).toEqual(event.data);
        abort.abort();
      }
    }

    // A retried append (same ids, same expectation) is recognised: no second event.
    const retried = await store.append(stream, [event], { expectedRevision: 'no_stream' });
    expect(retried.ok).toBe(true);
    expect(await raw.readStream(stream)).toHaveLength(1);
  });

  it('destroying the key shreds the fields for every reader; a later key seals only what comes after', async () => {
    const stream = `lead-ws_1-${randomUUID()}`;
    const first = registered('lead-2');
    await store.append(stream, [first], { expectedRevision: 'no_stream' });
    expect(await keyring.destroy([stream])).toBe(1);
    expect(await keyring.destroy([stream])).toBe(0);

    const [shredded] = await store.readStream(stream);
    expect(shredded?.data).toEqual({ ...first.data, emailHash: null, alternateEmailHashes: [] });
    expect(shredded?.data).not.toHaveProperty('sealed');

    const next = { ...registered('lead-2', 'c'.repeat(64)), type: 'LeadContactChanged' };
    await store.append(stream, [next], { expectedRevision: 0n });
    const [old, fresh] = await store.readStream(stream);
    expect(old?.data['emailHash']).toBeNull();
    expect(fresh?.data['emailHash']).toBe('c'.repeat(64));

    // Another process's keyring (its own cache) reads the same.
    const other = createSealingEventStore(raw, createStreamKeyring({ db, box: createSecretBox(SECRET) }));
    // Global reads show a commit once no older transaction on the server is open: wait for both.
    const seen = await waitFor(
      async () => {
        const events = (await other.readAll(START, 100_000)).events.filter((e) => e.streamName === stream);
        return events.length === 2 ? events : undefined;
      },
      { timeoutMs: 20_000, description: 'both events in the global log' },
    );
    expect(seen.map((e) => e.data['emailHash'])).toEqual([null, 'c'.repeat(64)]);
  });

  it('events with nothing to seal create no key', async () => {
    const stream = `lead-ws_1-${randomUUID()}`;
    await store.append(stream, [registered('lead-3', null)], { expectedRevision: 'no_stream' });
    const { rows } = await database.pool.query('SELECT count(*)::int AS n FROM stream_keys WHERE stream_name = $1', [
      stream,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('a key table that cannot be reached is a retryable EVENT_STORE_UNAVAILABLE; a key no secret opens is ACCESS_DENIED', async () => {
    const deadPool = new pg.Pool({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      connectionTimeoutMillis: 500,
    });
    deadPool.on('error', () => undefined);
    const deadDb = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: deadPool }) });
    const unreachable = createSealingEventStore(raw, createStreamKeyring({ db: deadDb, box: createSecretBox(SECRET) }));
    const failure = await unreachable
      .append(`lead-ws_1-${randomUUID()}`, [registered('lead-4')], { expectedRevision: 'no_stream' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EventStoreError);
    expect(failure).toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE', retryable: true });
    await deadDb.destroy();

    const stream = `lead-ws_1-${randomUUID()}`;
    await store.append(stream, [registered('lead-5')], { expectedRevision: 'no_stream' });
    const wrongSecret = createSealingEventStore(
      raw,
      createStreamKeyring({ db, box: createSecretBox('rsk_another-secret-0123456789abcdef-012345') }),
    );
    await expect(wrongSecret.readStream(stream)).rejects.toMatchObject({ code: 'EVENT_STORE_ACCESS_DENIED' });
  });
});

describe('keys asked for together', () => {
  it('concurrent appends to many streams each get their own key, created once, in shared statements', async () => {
    const streams = Array.from({ length: 40 }, () => `lead-ws_1-${randomUUID()}`);
    const results = await Promise.all(
      streams.map((stream, i) => store.append(stream, [registered(`lead-c${i}`)], { expectedRevision: 'no_stream' })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    // The same streams again at once (a retry storm): still one key per stream.
    const again = await Promise.all(streams.map((stream) => keyring.forAppend([stream, stream])));
    // Cached keys own their 32 bytes: not slices of Node's shared pool (which would keep 8 KiB
    // slabs alive per cached key: the soak bench's RSS grew 64 % until this held).
    for (const keys of again) for (const k of keys.values()) expect(k.key.buffer.byteLength).toBe(32);
    const { rows } = await database.pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT stream_name)::int AS d FROM stream_keys WHERE stream_name = ANY($1)',
      [streams],
    );
    expect(rows[0]).toEqual({ n: 40, d: 40 });
    for (const [i, stream] of streams.entries()) {
      const [event] = await store.readStream(stream);
      expect(event?.data['leadId']).toBe(`lead-c${i}`);
      expect(event?.data['emailHash']).toBe(HASH);
    }
  });
});
