import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff';
import { describeFailure, isDatabaseUnavailable, unavailableDependency } from './connection-failure';
import { createRateLimitedLog } from './rate-limited-log';

describe('backoffDelayMs', () => {
  const policy = { baseMs: 200, maxMs: 30_000 };
  it('doubles per attempt with equal jitter and stays under the cap', () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(100);
    expect(backoffDelayMs(1, policy, () => 1)).toBe(200);
    expect(backoffDelayMs(4, policy, () => 0)).toBe(800);
    expect(backoffDelayMs(50, policy, () => 1)).toBe(30_000);
    expect(backoffDelayMs(50, policy, () => 0)).toBe(15_000);
  });
});

describe('isDatabaseUnavailable', () => {
  const withCode = (code: string) => Object.assign(new Error('x'), { code });
  it.each(['57P01', '57P03', '08006', '08001', '53300', '57014', 'ECONNREFUSED', 'ECONNRESET'])(
    '%s is unavailable',
    (code) => {
      expect(isDatabaseUnavailable(withCode(code))).toBe(true);
    },
  );
  it('recognises FATAL connection refusals, pg connection texts, causes and aggregates', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '55000', severity: 'FATAL' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('57P01') }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED')]))).toBe(true);
  });
  it('leaves bugs and bad statements alone', () => {
    expect(isDatabaseUnavailable(withCode('23505'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('42P01'))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
  it('names the dependency that is unavailable', () => {
    expect(unavailableDependency(withCode('57P01'))).toBe('DATABASE_UNAVAILABLE');
    expect(unavailableDependency(Object.assign(new Error('x'), { type: 'unavailable' }))).toBe(
      'EVENT_STORE_UNAVAILABLE',
    );
    expect(unavailableDependency(new Error('x', { cause: withCode('EVENT_STORE_UNAVAILABLE') }))).toBe(
      'EVENT_STORE_UNAVAILABLE',
    );
    expect(unavailableDependency(withCode('23505'))).toBeNull();
  });
  it('describes a failure by class and code only', () => {
    expect(describeFailure(withCode('57P01'))).toBe('Error:57P01');
    expect(describeFailure(new TypeError('secret@example.com'))).toBe('TypeError');
  });
});

describe('createRateLimitedLog', () => {
  it('logs the first failure of a kind at once, then one line per interval with the count', () => {
    let t = 0;
    const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
    const sink = {
      info: (obj: object, msg: string) => lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
      warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
      error: (obj: object, msg: string) => lines.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
    };
    const log = createRateLimitedLog(sink, { intervalMs: 1_000, now: () => t });
    for (let i = 0; i < 55; i += 1) {
      log.failure('DB_DOWN', { projection: 'core' }, 'runner failed');
      t += 200;
    }
    log.failure('OTHER', {}, 'other');
    // 55 failures over 11 s at 1 s intervals: the first at once, then one per elapsed interval.
    const db = lines.filter((l) => l.obj['failure'] === 'DB_DOWN');
    expect(db.length).toBe(11);
    expect(db[0]?.obj['count']).toBe(1);
    expect(db.slice(1).every((l) => l.obj['count'] === 5)).toBe(true);
    expect(lines.filter((l) => l.obj['failure'] === 'OTHER')).toHaveLength(1);
    expect(log.failingCount('DB_DOWN')).toBe(55);
    log.recovered('DB_DOWN', { projection: 'core' }, 'runner recovered');
    log.recovered('DB_DOWN', { projection: 'core' }, 'runner recovered');
    expect(lines.filter((l) => l.msg === 'runner recovered')).toEqual([
      { level: 'info', obj: { projection: 'core', failure: 'DB_DOWN', failures: 55 }, msg: 'runner recovered' },
    ]);
    expect(log.failingCount('DB_DOWN')).toBe(0);
  });
});
