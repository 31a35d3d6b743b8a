import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { START } from '../port';
import { comparePostgresPositions, decodePosition, encodePosition } from './postgres-position';

describe('PostgreSQL positions', () => {
  it('round-trips and orders by transaction id, then position', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 63n }), fc.bigInt({ min: 1n, max: 2n ** 62n }), (tx, pos) => {
        const p = encodePosition(tx, pos);
        expect(decodePosition(p)).toEqual({ transactionId: tx, position: pos });
        expect(comparePostgresPositions(START, p)).toBeLessThan(0);
        expect(comparePostgresPositions(p, encodePosition(tx, pos + 1n))).toBeLessThan(0);
        expect(comparePostgresPositions(encodePosition(tx + 1n, 1n), p)).toBeGreaterThan(0);
        expect(comparePostgresPositions(p, encodePosition(tx, pos))).toBe(0);
      }),
    );
  });

  it('orders a late-committing transaction before a later one with a smaller position', () => {
    expect(comparePostgresPositions(encodePosition(10n, 99n), encodePosition(11n, 5n))).toBeLessThan(0);
  });

  it('rejects foreign positions', () => {
    expect(() => decodePosition('C:1/P:2' as never)).toThrow(/not a PostgreSQL event-store position/);
  });
});
