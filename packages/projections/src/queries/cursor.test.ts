import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageLimit } from './cursor';

describe('keyset cursors', () => {
  const Key = z.tuple([z.iso.datetime(), z.string()]);

  it('round-trips a sort key', () => {
    const cursor = encodeCursor(['2030-06-01T10:00:00.000Z', 'lead-ü']);
    expect(decodeCursor(cursor, Key)).toEqual({ ok: true, value: ['2030-06-01T10:00:00.000Z', 'lead-ü'] });
  });

  it('treats a missing cursor as the first page and rejects tampered ones with a code', () => {
    expect(decodeCursor(undefined, Key)).toEqual({ ok: true, value: null });
    expect(decodeCursor('not-base64-json', Key)).toEqual({ ok: false, code: 'CURSOR_INVALID' });
    expect(decodeCursor(encodeCursor(['yesterday', 'x']), Key)).toEqual({ ok: false, code: 'CURSOR_INVALID' });
  });

  it('bounds page sizes to 1..200', () => {
    expect([pageLimit(undefined), pageLimit(0), pageLimit(1_000), pageLimit(7.9)]).toEqual([50, 1, 200, 7]);
  });
});
