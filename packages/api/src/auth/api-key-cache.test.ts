import { hashApiKey, type ApiKeyIdentity } from '@recon/workspaces';
import { describe, expect, it } from 'vitest';
import { createApiKeyCache } from './api-key-cache';

const KEY = 'rk_the-raw-secret-key-of-this-test';
const ID: ApiKeyIdentity = { id: 'key_1', workspaceId: 'ws_1' };

function counted(result: ApiKeyIdentity | null) {
  const load = async () => {
    load.calls += 1;
    return result;
  };
  load.calls = 0;
  return load;
}

describe('api key cache', () => {
  it('serves a found key from memory for the positive TTL, then loads again', async () => {
    let t = 0;
    const cache = createApiKeyCache({ ttlMs: 5_000, now: () => t });
    const load = counted(ID);
    expect(await cache.resolve(hashApiKey(KEY), load)).toEqual(ID);
    t = 4_999;
    expect(await cache.resolve(hashApiKey(KEY), load)).toEqual(ID);
    expect(load.calls).toBe(1);
    t = 5_000;
    await cache.resolve(hashApiKey(KEY), load);
    expect(load.calls).toBe(2);
  });

  it('remembers an unknown key only for the negative TTL', async () => {
    let t = 0;
    const cache = createApiKeyCache({ negativeTtlMs: 1_000, now: () => t });
    const load = counted(null);
    expect(await cache.resolve(hashApiKey(KEY), load)).toBeNull();
    t = 999;
    expect(await cache.resolve(hashApiKey(KEY), load)).toBeNull();
    expect(load.calls).toBe(1);
    t = 1_000;
    await cache.resolve(hashApiKey(KEY), load);
    expect(load.calls).toBe(2);
  });

  it('forget(keyId) drops the key at once', async () => {
    const cache = createApiKeyCache();
    await cache.resolve(hashApiKey(KEY), counted(ID));
    cache.forget(ID.id);
    expect(await cache.resolve(hashApiKey(KEY), counted(null))).toBeNull();
  });

  it('a lookup in flight while the key is forgotten is not cached', async () => {
    const cache = createApiKeyCache();
    let release: (v: ApiKeyIdentity | null) => void = () => undefined;
    const pending = cache.resolve(hashApiKey(KEY), () => new Promise((resolve) => (release = resolve)));
    cache.forget(ID.id); // the revocation lands while the stale row is being read
    release(ID);
    expect(await pending).toEqual(ID);
    expect(cache.size).toBe(0);
    expect(await cache.resolve(hashApiKey(KEY), counted(null))).toBeNull();
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const cache = createApiKeyCache({ maxEntries: 3 });
    const digests = ['a', 'b', 'c', 'd'].map((k) => hashApiKey(`rk_${k}`));
    for (const d of digests) await cache.resolve(d, counted(null));
    expect(cache.size).toBe(3);
    expect(cache.digests()).toEqual(digests.slice(1));
  });

  it('keeps a key read recently over one not read since (least recently used goes first)', async () => {
    const cache = createApiKeyCache({ maxEntries: 2 });
    const [a, b, c] = ['a', 'b', 'c'].map((k) => hashApiKey(`rk_${k}`));
    await cache.resolve(a!, counted(null));
    await cache.resolve(b!, counted(null));
    await cache.resolve(a!, counted(null)); // a hit: a is now the most recently used
    await cache.resolve(c!, counted(null));
    expect(cache.digests()).toEqual([a, c]);
  });

  it('holds digests only, never a raw key (a raw key is refused as a bug)', async () => {
    const cache = createApiKeyCache();
    await cache.resolve(hashApiKey(KEY), counted(ID));
    expect(cache.digests()).toEqual([hashApiKey(KEY)]);
    expect(JSON.stringify(cache.digests())).not.toContain(KEY);
    await expect(cache.resolve(KEY, counted(ID))).rejects.toThrow(/digest/);
    expect(cache.size).toBe(1);
  });
});
