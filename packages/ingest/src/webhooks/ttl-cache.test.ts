import { describe, expect, it } from 'vitest';
import { createTtlCache } from './ttl-cache';

function counted<T>(value: T) {
  const load = async () => {
    load.calls += 1;
    return value;
  };
  load.calls = 0;
  return load;
}

const always = () => true;

describe('ttl cache', () => {
  it('serves a kept value until its TTL has passed, then loads again', async () => {
    let t = 0;
    const cache = createTtlCache<string>(5_000, () => t);
    const load = counted('creds');
    expect(await cache.get('ws_1', load, always)).toBe('creds');
    t = 4_999;
    expect(await cache.get('ws_1', load, always)).toBe('creds');
    expect(load.calls).toBe(1);
    t = 5_000;
    await cache.get('ws_1', load, always);
    expect(load.calls).toBe(2);
  });

  it('does not keep what `keep` refuses (a failed load), nor anything with a TTL of 0', async () => {
    const refused = createTtlCache<string>(5_000);
    const failed = counted('not found');
    await refused.get('ws_1', failed, () => false);
    await refused.get('ws_1', failed, () => false);
    expect(failed.calls).toBe(2);
    const off = createTtlCache<string>(0);
    const load = counted('creds');
    await off.get('ws_1', load, always);
    await off.get('ws_1', load, always);
    expect(load.calls).toBe(2);
  });

  it('holds at most maxEntries: the least recently used is loaded again', async () => {
    const cache = createTtlCache<string>(60_000, Date.now, 2);
    const loads = { a: counted('A'), b: counted('B'), c: counted('C') };
    await cache.get('a', loads.a, always);
    await cache.get('b', loads.b, always);
    await cache.get('a', loads.a, always); // hit: b is now the least recently used
    await cache.get('c', loads.c, always); // evicts b
    await cache.get('a', loads.a, always);
    await cache.get('b', loads.b, always);
    expect(loads.a.calls).toBe(1);
    expect(loads.b.calls).toBe(2);
  });
});
