import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toUtcInstant } from './provider-time';

describe('toUtcInstant', () => {
  it.each([
    ['2030-06-18 10:00:00', 'America/Chicago', '2030-06-18T15:00:00.000Z'],
    ['2026-01-15 10:00:00', 'America/Chicago', '2026-01-15T16:00:00.000Z'],
    ['2026-01-15 10:00:00', 'Asia/Kolkata', '2026-01-15T04:30:00.000Z'],
    ['2026-01-15 10:00:00', 'UTC', '2026-01-15T10:00:00.000Z'],
    // DST gap (02:30 does not exist in Chicago on 2026-03-08): moves forward to 03:30 CDT.
    ['2026-03-08 02:30:00', 'America/Chicago', '2026-03-08T08:30:00.000Z'],
    // DST overlap (01:30 happens twice on 2026-11-01): the earlier instant (CDT).
    ['2026-11-01 01:30:00', 'America/Chicago', '2026-11-01T06:30:00.000Z'],
    ['2023-09-25T16:00:00+05:30', null, '2023-09-25T10:30:00.000Z'],
    ['2026-03-10T15:00:00.000000Z', null, '2026-03-10T15:00:00.000Z'],
  ])('%s in %s → %s', (value, tz, expected) => {
    expect(toUtcInstant(value, tz)).toEqual({ ok: true, value: expected });
  });

  it('rejects garbage and impossible dates with codes', () => {
    expect(toUtcInstant('next tuesday', 'UTC')).toMatchObject({ ok: false, code: 'GHL_TIME_INVALID' });
    expect(toUtcInstant('2026-02-30 10:00:00', 'UTC')).toMatchObject({ ok: false, code: 'GHL_TIME_INVALID' });
  });

  it('round-trips: the wall clock of the result in the zone is the input (outside DST gaps)', () => {
    const zones = ['America/Chicago', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, tz) => {
          const t = Math.floor(ms / 1000) * 1000;
          const f = new Intl.DateTimeFormat('sv-SE', {
            timeZone: tz,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
            hourCycle: 'h23',
          });
          const wall = f.format(new Date(t)); // "YYYY-MM-DD HH:mm:ss"
          const back = toUtcInstant(wall, tz);
          expect(back.ok).toBe(true);
          if (!back.ok) return;
          expect(f.format(new Date(back.value))).toBe(wall);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});
