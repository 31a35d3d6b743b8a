import { describe, expect, it } from 'vitest';
import { projectionLagMemo } from './projection-lag-memo';

describe('projectionLagMemo', () => {
  it('shares one computation within the ttl, recomputes after it and when asked fresh', async () => {
    let calls = 0;
    let t = 0;
    const memo = projectionLagMemo(
      async () => ++calls,
      1_000,
      () => t,
    );
    expect(await Promise.all([memo.get(false), memo.get(false)])).toEqual([1, 1]);
    expect(await memo.get(false)).toBe(1);
    expect(await memo.get(true)).toBe(2);
    t = 999;
    expect(await memo.get(false)).toBe(2);
    t = 1_000;
    expect(await memo.get(false)).toBe(3);
  });

  it('keeps no failed computation', async () => {
    let calls = 0;
    const memo = projectionLagMemo(async () => {
      calls++;
      if (calls === 1) throw new Error('store down');
      return calls;
    }, 60_000);
    await expect(memo.get(false)).rejects.toThrow('store down');
    expect(await memo.get(false)).toBe(2);
  });
});
