import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatProgressLine } from './progress-reporter';

describe('progress reporter', () => {
  it('formats done/total, percentage, rate and ETA', () => {
    expect(formatProgressLine('rebuild', 'events', { done: 1200, total: 5000, perSecond: 950.4, etaSeconds: 4 })).toBe(
      'rebuild: 1200/5000 events (24%), 950 events/s, ETA 4s',
    );
    expect(formatProgressLine('backfill', 'leads', { done: 10, total: null, perSecond: 2, etaSeconds: null })).toBe(
      'backfill: 10/? leads, 2 leads/s, ETA ?',
    );
    expect(formatProgressLine('x', 'leads', { done: 1, total: 10, perSecond: 1, etaSeconds: 3725 })).toContain(
      'ETA 1h2m',
    );
  });

  it('prints plain lines when not on a TTY, throttled, and always the last state', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let out = '';
    (stream as unknown as PassThrough).on('data', (c: Buffer) => (out += c.toString()));
    let now = 0;
    const p = createProgressReporter({ label: 'rebuild', unit: 'events', stream, now: () => now, plainEveryMs: 1000 });
    now = 10;
    p.update({ done: 10, total: 100 });
    now = 500;
    p.update({ done: 50, total: 100 }); // within the throttle window: not printed yet
    now = 1500;
    p.update({ done: 80, total: 100 });
    now = 1600;
    p.update({ done: 100, total: 100 });
    p.finish('done');
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^rebuild: 10\/100 events \(10%\)/);
    expect(lines[1]).toMatch(/^rebuild: 80\/100 events \(80%\)/);
    expect(lines[2]).toMatch(/^rebuild: 100\/100 events \(100%\)/);
    expect(lines[3]).toBe('done');
  });
});
