import { describe, expect, it } from 'vitest';
import { resolveBackfillRange } from './backfill-range';

describe('resolveBackfillRange', () => {
  it.each([
    ['neither: no range (a full check; the runner bounds its scans)', {}, 730, { ok: true, from: null, to: null }],
    [
      'only from: from + max',
      { from: '2030-01-01T00:00:00.000Z' },
      730,
      { ok: true, from: '2030-01-01T00:00:00.000Z', to: '2032-01-01T00:00:00.000Z' },
    ],
    [
      'only to: to − max',
      { to: '2032-01-01T00:00:00.000Z' },
      730,
      { ok: true, from: '2030-01-01T00:00:00.000Z', to: '2032-01-01T00:00:00.000Z' },
    ],
    [
      'exactly max',
      { from: '2030-01-01T00:00:00.000Z', to: '2030-01-31T00:00:00.000Z' },
      30,
      { ok: true, from: '2030-01-01T00:00:00.000Z', to: '2030-01-31T00:00:00.000Z' },
    ],
    [
      'one ms more than max',
      { from: '2030-01-01T00:00:00.000Z', to: '2030-01-31T00:00:00.001Z' },
      30,
      { ok: false, code: 'BACKFILL_RANGE_TOO_LONG' },
    ],
    [
      'a century',
      { from: '1990-01-01T00:00:00.000Z', to: '2090-01-01T00:00:00.000Z' },
      730,
      { ok: false, code: 'BACKFILL_RANGE_TOO_LONG' },
    ],
    [
      'inverted',
      { from: '2030-02-01T00:00:00.000Z', to: '2030-01-01T00:00:00.000Z' },
      730,
      { ok: false, code: 'BACKFILL_RANGE_INVALID' },
    ],
    [
      'empty',
      { from: '2030-02-01T00:00:00.000Z', to: '2030-02-01T00:00:00.000Z' },
      730,
      { ok: false, code: 'BACKFILL_RANGE_INVALID' },
    ],
  ])('%s', (_name, given, maxDays, expected) => {
    expect(resolveBackfillRange(given, maxDays)).toEqual(expected);
  });
});
