/**
 * A small per-key cache with expiry, so a burst of webhooks for one workspace does not read and
 * decrypt its credentials on every delivery. Only successful loads are cached. Bounded by
 * lru-cache (at most `maxEntries`, the least recently used goes first); the expiry is checked here
 * against the injected clock (`expires > now`).
 */
import { LRUCache } from 'lru-cache';

export interface TtlCache<T> {
  get(key: string, load: () => Promise<T>, keep: (value: T) => boolean): Promise<T>;
}

export function createTtlCache<T>(ttlMs: number, now: () => number = Date.now, maxEntries = 10_000): TtlCache<T> {
  const entries = new LRUCache<string, { readonly value: T; readonly expires: number }>({
    max: Math.max(1, maxEntries),
  });
  return {
    async get(key, load, keep) {
      const hit = entries.get(key);
      if (hit !== undefined && hit.expires > now()) return hit.value;
      const value = await load();
      if (ttlMs > 0 && keep(value)) entries.set(key, { value, expires: now() + ttlMs });
      return value;
    },
  };
}
