/**
 * The process's view of `stream_keys`: keys to seal with (always checked against the table, so
 * nothing is sealed under a key another process has just destroyed) and keys to open with (kept a
 * short while in a bounded cache; an unknown key id asks the table again). Destroying keys through
 * the keyring also forgets them here; other processes forget them within `readTtlMs`, or at once
 * when they read the `LeadContactErased` event (see sealing-event-store.ts).
 */
import { EventStoreError } from '@recon/eventstore';
import { describeFailure } from '@recon/resilience';
import {
  destroyStreamKeys,
  ensureStreamKeys,
  findStreamKeys,
  type SecretBox,
  type StreamKey,
  type StreamKeyRead,
  type WorkspacesDatabase,
} from '@recon/workspaces';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';

export interface StreamKeyring {
  /** The key of each stream, created when missing. */
  forAppend(streams: readonly string[]): Promise<Map<string, StreamKey>>;
  /** The keys that sealed these values (stream → key id); absent: destroyed or replaced. */
  forRead(wanted: ReadonlyMap<string, string>): Promise<Map<string, StreamKey>>;
  /** Destroys the keys of `streams` (crypto-shredding); returns how many existed. */
  destroy(streams: readonly string[]): Promise<number>;
  /** Drops every cached key (an erasure was seen). */
  forget(): void;
}

export interface StreamKeyringOptions {
  // The composition root's database holds every package's tables; this one needs `stream_keys`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly box: SecretBox;
  /** How long an opened key is reused without asking the table (default 60 s). */
  readonly readTtlMs?: number;
  /** How many opened keys are kept (default 50,000: 32 bytes each). */
  readonly maxCachedKeys?: number;
}

/** Key storage failures as the event store's own: retryable while the database is away, else a configuration fault. */
function keyFailure(error: unknown): EventStoreError {
  if (error instanceof EventStoreError) return error;
  return new EventStoreError(
    'EVENT_STORE_UNAVAILABLE',
    'the stream key table could not be read',
    describeFailure(error),
  );
}

function checked(read: StreamKeyRead): Map<string, StreamKey> {
  if (read.unreadable.length > 0)
    throw new EventStoreError(
      'EVENT_STORE_ACCESS_DENIED',
      `${read.unreadable.length} stream key(s) open under neither RECON_SECRET_KEY nor RECON_SECRET_KEY_PREVIOUS`,
      'StreamKeyUnreadable',
    );
  return read.keys;
}

export function createStreamKeyring(options: StreamKeyringOptions): StreamKeyring {
  const db = options.db as Kysely<WorkspacesDatabase>;
  const cache = new LRUCache<string, StreamKey>({
    max: options.maxCachedKeys ?? 50_000,
    ttl: options.readTtlMs ?? 60_000,
  });
  // Appends that ask together share one statement (as the event store's group commit does): while
  // one ensure is in flight the next callers queue, then go as one.
  interface Waiter {
    readonly streams: readonly string[];
    resolve(keys: Map<string, StreamKey>): void;
    reject(error: unknown): void;
  }
  let queued: Waiter[] = [];
  let flushing = false;
  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      try {
        const keys = checked(
          await ensureStreamKeys(
            db,
            options.box,
            batch.flatMap((w) => w.streams),
          ),
        );
        for (const [stream, key] of keys) cache.set(stream, key);
        for (const w of batch) {
          const own = new Map<string, StreamKey>();
          for (const stream of w.streams) {
            const key = keys.get(stream);
            if (key !== undefined) own.set(stream, key);
          }
          w.resolve(own);
        }
      } catch (error) {
        for (const w of batch) w.reject(keyFailure(error));
      }
    }
    flushing = false;
  }

  return {
    forAppend(streams) {
      return new Promise((resolve, reject) => {
        queued.push({ streams, resolve, reject });
        if (!flushing) queueMicrotask(() => void flush());
      });
    },
    async forRead(wanted) {
      const found = new Map<string, StreamKey>();
      const missing: string[] = [];
      for (const [stream, keyId] of wanted) {
        const cached = cache.get(stream);
        if (cached !== undefined && cached.keyId === keyId) found.set(stream, cached);
        else missing.push(stream);
      }
      if (missing.length === 0) return found;
      try {
        const keys = checked(await findStreamKeys(db, options.box, missing));
        for (const [stream, key] of keys) {
          cache.set(stream, key);
          if (wanted.get(stream) === key.keyId) found.set(stream, key);
        }
        return found;
      } catch (error) {
        throw keyFailure(error);
      }
    },
    async destroy(streams) {
      for (const stream of streams) cache.delete(stream);
      try {
        return await destroyStreamKeys(db, streams);
      } catch (error) {
        throw keyFailure(error);
      }
    },
    forget() {
      cache.clear();
    },
  };
}
