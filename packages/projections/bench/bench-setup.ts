/**
 * Benchmark setup: a scratch database with the event store and the projections migrated, and a
 * fast loader for generated histories (synchronous_commit off for the load only; what is timed is
 * the rebuild and the live lag, not the load).
 */
import { migrateEventStore, createPostgresEventStore, type EventStore } from '@recon/eventstore';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateProjections } from '../src/index';
import type { GeneratedEvent } from '../test/testing/generate-history';
import { reconEventId, streamOfEvent } from '@recon/domain';

export const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function freshBenchDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(SERVER_URL, name);
  await migrateEventStore(url);
  const db = kyselyOn(url, 2);
  await migrateProjections(db);
  await db.destroy();
  return url;
}

export async function dropBenchDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  } finally {
    await admin.end();
  }
}

export function kyselyOn(url: string, max = 10): Kysely<unknown> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  return new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
}

/** A store whose appends do not wait for fsync (bulk loading only). */
export function loaderStore(url: string): { store: EventStore; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: 8, options: '-c synchronous_commit=off' });
  return { store: createPostgresEventStore({ pool }), pool };
}

/** Appends events grouped per stream run (consecutive events of one stream in one call), 8 at a time. */
export async function loadEvents(store: EventStore, events: readonly GeneratedEvent[], concurrency = 8): Promise<void> {
  const groups: { stream: string; events: GeneratedEvent[] }[] = [];
  for (const e of events) {
    const stream = streamOfEvent(e);
    const last = groups[groups.length - 1];
    if (last !== undefined && last.stream === stream) last.events.push(e);
    else groups.push({ stream, events: [e] });
  }
  let next = 0;
  const worker = async () => {
    for (;;) {
      const g = groups[next];
      next += 1;
      if (g === undefined) return;
      const r = await store.append(
        g.stream,
        g.events.map((e) => ({
          id: reconEventId(e),
          type: e.type,
          data: e.matchKeys === undefined ? e.data : { ...e.data, matchKeys: e.matchKeys },
        })),
        { expectedRevision: 'any' },
      );
      if (!r.ok) throw new Error(`load append failed: ${r.code}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
