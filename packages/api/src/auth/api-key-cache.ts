/**
 * An in-process cache of operator API key lookups, so a burst of requests does not query
 * `api_keys` on every call. Entries are keyed by the key's sha256 (hex, as stored in `api_keys`):
 * the cache never sees a raw key. Found keys live a few seconds (default 5 s), unknown or revoked
 * keys about a second (default 1 s); the cache holds at most `maxEntries` (default 10,000) and
 * drops the least recently used entry when full (lru-cache). The expiry is checked here against the
 * injected clock (`expires > now`), not by lru-cache's own TTL, which treats a start time of 0 as
 * "never expires" and would make the injected-clock tests meaningless.
 *
 * Revocation: when this process revokes a key (the DELETE api-keys route calls `forget`), the key
 * is refused at once here. Another process's revocation takes effect here within the positive TTL
 * (5 s by default), when the cached entry expires: there is no cross-process invalidation.
 */
import type { ApiKeyIdentity } from '@recon/workspaces';
import { LRUCache } from 'lru-cache';

export interface ApiKeyCacheOptions {
  /** How long a found key is trusted, ms (default 5,000). */
  readonly ttlMs?: number;
  /** How long an unknown or revoked key is remembered, ms (default 1,000). */
  readonly negativeTtlMs?: number;
  /** Most entries held (default 10,000); the least recently used goes first. */
  readonly maxEntries?: number;
  /** Monotonic-enough milliseconds (default Date.now). */
  readonly now?: () => number;
}

export interface ApiKeyCache {
  /**
   * The identity of the key whose sha256 (hex) is `keyDigest`: from the cache while fresh, else
   * from `load` (which is then remembered, unless a `forget` ran while it was loading).
   */
  resolve(keyDigest: string, load: () => Promise<ApiKeyIdentity | null>): Promise<ApiKeyIdentity | null>;
  /** Drops every entry of this key id, so its revocation by this process is seen at once. */
  forget(keyId: string): void;
  /** The digests held (for tests: they must be digests, never keys). */
  digests(): string[];
  readonly size: number;
}

interface Entry {
  readonly identity: ApiKeyIdentity | null;
  readonly expires: number;
}

const DIGEST = /^[0-9a-f]{64}$/;

export function createApiKeyCache(options: ApiKeyCacheOptions = {}): ApiKeyCache {
  const ttlMs = options.ttlMs ?? 5_000;
  const negativeTtlMs = options.negativeTtlMs ?? 1_000;
  const maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  const now = options.now ?? Date.now;
  const entries = new LRUCache<string, Entry>({ max: maxEntries });
  // Bumped by every forget: a load that started before a revocation must not re-cache the key.
  let generation = 0;

  function remember(keyDigest: string, identity: ApiKeyIdentity | null): void {
    const ttl = identity === null ? negativeTtlMs : ttlMs;
    if (ttl <= 0) return;
    entries.set(keyDigest, { identity, expires: now() + ttl });
  }

  return {
    async resolve(keyDigest, load) {
      // A bug, not an input error: callers hash first, so a raw key can never be stored.
      if (!DIGEST.test(keyDigest)) throw new Error('api key cache: expected a sha256 hex digest');
      const hit = entries.get(keyDigest);
      if (hit !== undefined) {
        if (hit.expires > now()) return hit.identity;
        entries.delete(keyDigest);
      }
      const startedAt = generation;
      const identity = await load();
      if (generation === startedAt) remember(keyDigest, identity);
      return identity;
    },
    forget(keyId) {
      generation += 1;
      const revoked = [...entries.entries()].filter(([, entry]) => entry.identity?.id === keyId);
      for (const [digest] of revoked) entries.delete(digest);
    },
    digests: () => [...entries.rkeys()], // least recently used first
    get size() {
      return entries.size;
    },
  };
}
