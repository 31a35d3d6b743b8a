import { describe, expect, it } from 'vitest';
import { ColdMap } from './cold-map';

describe('ColdMap', () => {
  it('keeps the most recently used values hot and gives back the cold ones equal', () => {
    const m = new ColdMap<{ n: number; tags: string[] }>(2);
    for (let i = 0; i < 5; i += 1) m.set(`k${i}`, { n: i, tags: [`t${i}`] });
    expect(m.size).toBe(5);
    expect(m.has('k0')).toBe(true);
    expect(m.get('k0')).toEqual({ n: 0, tags: ['t0'] });
    expect(m.peek('k1')).toEqual({ n: 1, tags: ['t1'] });
    expect(m.delete('k1')).toBe(true);
    expect(m.get('k1')).toBeUndefined();
    expect(m.size).toBe(4);
    expect(Object.fromEntries([...m].map(([k, v]) => [k, v.n]))).toEqual({ k0: 0, k2: 2, k3: 3, k4: 4 });
  });

  it('keeps text of any size and alphabet', () => {
    const m = new ColdMap<{ note: string }>(1);
    const big = 'x'.repeat(2 ** 21);
    m.set('a', { note: 'héllo ✓ \u0000 "quoted"' });
    m.set('b', { note: big });
    m.set('c', { note: '' });
    m.set('d', { note: 'last' });
    expect(m.get('a')).toEqual({ note: 'héllo ✓ \u0000 "quoted"' });
    expect(m.peek('b')?.note.length).toBe(2 ** 21);
    expect(m.get('c')).toEqual({ note: '' });
  });

  it('iterates a snapshot: setting while iterating visits every key once', () => {
    const m = new ColdMap<number>(1);
    for (let i = 0; i < 4; i += 1) m.set(`k${i}`, i);
    const seen: string[] = [];
    for (const [k, v] of m) {
      seen.push(k);
      m.set(k, v + 10);
    }
    expect(seen.sort()).toEqual(['k0', 'k1', 'k2', 'k3']);
    expect([...m.values()].sort()).toEqual([10, 11, 12, 13]);
  });
});
