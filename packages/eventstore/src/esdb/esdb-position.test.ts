import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { START } from '../port';
import { compareEsdbPositions, decodeEsdbPosition, encodeEsdbPosition } from './esdb-position';

const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

describe('EventStoreDB positions', () => {
  it('round-trips {commit, prepare} through the opaque string', () => {
    fc.assert(
      fc.property(u64, u64, (commit, prepare) => {
        expect(decodeEsdbPosition(encodeEsdbPosition({ commit, prepare }))).toEqual({ commit, prepare });
      }),
    );
  });

  it('orders like (commit, prepare), and the string sorts the same way', () => {
    fc.assert(
      fc.property(u64, u64, u64, u64, (c1, p1, c2, p2) => {
        const a = encodeEsdbPosition({ commit: c1, prepare: p1 });
        const b = encodeEsdbPosition({ commit: c2, prepare: p2 });
        const expected = c1 === c2 ? Math.sign(Number(p1 - p2)) : Math.sign(Number(c1 - c2));
        expect(Math.sign(compareEsdbPositions(a, b))).toBe(expected);
        expect(Math.sign(a.localeCompare(b))).toBe(expected);
      }),
    );
  });

  it('puts START before every position', () => {
    const zero = encodeEsdbPosition({ commit: 0n, prepare: 0n });
    expect(compareEsdbPositions(START, zero)).toBeLessThan(0);
    expect(compareEsdbPositions(zero, START)).toBeGreaterThan(0);
    expect(compareEsdbPositions(START, START)).toBe(0);
  });

  it('rejects strings it did not produce', () => {
    expect(() => decodeEsdbPosition('12:34' as typeof START)).toThrow(/not an EventStoreDB position/);
  });
});
