/**
 * The `stream_keys` table: one random AES-256 data key per event stream that carries something
 * about a person (a lead's email hashes and operator notes, a booking's invitee and guest hashes).
 * Keys are sealed by the secret box, bound to their stream and key id. Destroying a stream's key is
 * the erasure of what its events sealed (crypto-shredding); a later key for the same stream gets a
 * new id and never opens the old fields. No cache here: callers decide how long to remember keys.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { WorkspacesDatabase } from './database';
import type { ResealCounts } from './reseal-outcome';
import type { SecretBox } from './secret-box';

export interface StreamKey {
  readonly keyId: string;
  /** 32 random bytes. */
  readonly key: Buffer;
}

export interface StreamKeyRead {
  readonly keys: Map<string, StreamKey>;
  /** Streams whose stored key neither RECON_SECRET_KEY nor RECON_SECRET_KEY_PREVIOUS opens. */
  readonly unreadable: readonly string[];
}

interface KeyRow {
  stream_name: string;
  key_id: string;
  sealed_key: string;
}

const aad = (streamName: string, keyId: string) => `stream-key:${streamName}:${keyId}`;

/**
 * A copy outside Node's shared 8 KiB allocation pool: a small Buffer made from a string is a slice
 * of that pool, and a cached key would keep the whole slab alive (thousands of keys → hundreds of MB).
 */
function unpooled(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

function openRows(box: SecretBox, rows: readonly KeyRow[]): StreamKeyRead {
  const keys = new Map<string, StreamKey>();
  const unreadable: string[] = [];
  for (const row of rows) {
    const opened = box.open(row.sealed_key, aad(row.stream_name, row.key_id));
    if (!opened.ok) unreadable.push(row.stream_name);
    else keys.set(row.stream_name, { keyId: row.key_id, key: unpooled(Buffer.from(opened.value, 'base64')) });
  }
  return { keys, unreadable };
}

/** The current keys of `streams` (absent: never created, or destroyed by an erasure). */
export async function findStreamKeys(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  streams: readonly string[],
): Promise<StreamKeyRead> {
  if (streams.length === 0) return { keys: new Map(), unreadable: [] };
  const rows = await db
    .selectFrom('stream_keys')
    .select(['stream_name', 'key_id', 'sealed_key'])
    .where('stream_name', '=', sql<string>`ANY(${[...new Set(streams)]}::text[])`)
    .execute();
  return openRows(box, rows);
}

/**
 * The keys of `streams`, creating those that do not exist (one statement; a concurrent creator of
 * the same stream wins and its key is returned to both).
 */
export async function ensureStreamKeys(
  db: Kysely<WorkspacesDatabase>,
  box: SecretBox,
  streams: readonly string[],
): Promise<StreamKeyRead> {
  const wanted = [...new Set(streams)];
  if (wanted.length === 0) return { keys: new Map(), unreadable: [] };
  for (let attempt = 0; ; attempt += 1) {
    const fresh = wanted.map((stream) => {
      const keyId = randomUUID();
      return { stream, keyId, sealed: box.seal(randomBytes(32).toString('base64'), aad(stream, keyId)) };
    });
    // The INSERT's rows are not visible to the same statement's SELECT: the union returns each once.
    const result = await sql<KeyRow>`
      WITH ins AS (
        INSERT INTO stream_keys (stream_name, key_id, sealed_key)
        SELECT * FROM unnest(${fresh.map((f) => f.stream)}::text[], ${fresh.map((f) => f.keyId)}::text[],
          ${fresh.map((f) => f.sealed)}::text[])
        ON CONFLICT (stream_name) DO NOTHING
        RETURNING stream_name, key_id, sealed_key)
      SELECT stream_name, key_id, sealed_key FROM ins
      UNION ALL
      SELECT stream_name, key_id, sealed_key FROM stream_keys
      WHERE stream_name = ANY(${wanted}::text[]) AND stream_name NOT IN (SELECT stream_name FROM ins)`.execute(db);
    const read = openRows(box, result.rows);
    // A row committed by a concurrent creator after this statement's snapshot: read again.
    if (read.keys.size + read.unreadable.length === wanted.length || attempt >= 3) return read;
  }
}

/** Deletes the keys of `streams`: what their events sealed can no longer be read. Returns how many. */
export async function destroyStreamKeys(db: Kysely<WorkspacesDatabase>, streams: readonly string[]): Promise<number> {
  if (streams.length === 0) return 0;
  const result = await db
    .deleteFrom('stream_keys')
    .where('stream_name', '=', sql<string>`ANY(${[...new Set(streams)]}::text[])`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

const PAGE = 500;

/** `recon secrets rotate`: every stream key sealed by the previous secret re-sealed under the current one. */
export async function resealStreamKeys(db: Kysely<WorkspacesDatabase>, box: SecretBox): Promise<ResealCounts> {
  const counts: ResealCounts = { resealed: 0, alreadyCurrent: 0, unreadable: 0 };
  let after: string | null = null;
  for (;;) {
    let q = db
      .selectFrom('stream_keys')
      .select(['stream_name', 'key_id', 'sealed_key'])
      .orderBy('stream_name')
      .limit(PAGE);
    if (after !== null) q = q.where('stream_name', '>', after);
    const page = await q.execute();
    const updates: { stream: string; keyId: string; sealed: string }[] = [];
    for (const row of page) {
      const opened = box.open(row.sealed_key, aad(row.stream_name, row.key_id));
      if (!opened.ok) counts.unreadable += 1;
      else if (opened.sealedUnder === 'current') counts.alreadyCurrent += 1;
      else
        updates.push({
          stream: row.stream_name,
          keyId: row.key_id,
          sealed: box.seal(opened.value, aad(row.stream_name, row.key_id)),
        });
    }
    if (updates.length > 0) {
      // Only rows still holding the same key id: a key destroyed or replaced meanwhile is left alone.
      const done = await sql`
        UPDATE stream_keys k SET sealed_key = u.sealed
        FROM unnest(${updates.map((u) => u.stream)}::text[], ${updates.map((u) => u.keyId)}::text[],
          ${updates.map((u) => u.sealed)}::text[]) AS u(stream, key_id, sealed)
        WHERE k.stream_name = u.stream AND k.key_id = u.key_id`.execute(db);
      counts.resealed += Number(done.numAffectedRows ?? 0);
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.stream_name ?? null;
  }
  return counts;
}
