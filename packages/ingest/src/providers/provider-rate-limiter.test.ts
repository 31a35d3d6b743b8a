import { afterEach, describe, expect, it } from 'vitest';
import { CALENDLY_FREE_RATE_LIMIT, CALENDLY_RATE_LIMIT } from './calendly/calendly-rate-limit';
import { GHL_RATE_LIMIT } from './ghl/ghl-rate-limit';
import { AccountRateLimiter, DAILY_LIMIT_REACHED, RateLimiterRegistry } from './provider-rate-limiter';

const registry = new RateLimiterRegistry();
afterEach(() => registry.stopAll());

describe('rate limiters per provider account', () => {
  it('the registry gives one limiter per (provider, account), never shared across accounts', () => {
    const a = registry.forAccount('ghl', 'loc-a', GHL_RATE_LIMIT);
    expect(registry.forAccount('ghl', 'loc-a', GHL_RATE_LIMIT)).toBe(a);
    expect(registry.forAccount('ghl', 'loc-b', GHL_RATE_LIMIT)).not.toBe(a);
    expect(registry.forAccount('calendly', 'loc-a', CALENDLY_RATE_LIMIT)).not.toBe(a);
    expect(registry.forAccount('calendly', 'user-free', CALENDLY_FREE_RATE_LIMIT).options.maxRequests).toBe(50);
    expect(a.options).toMatchObject({ maxRequests: 100, intervalMs: 10_000, dailyMax: 200_000 });
    expect(registry.size).toBe(4);
  });

  it('spaces starts so no window of the interval holds more than the maximum', async () => {
    const limiter = new AccountRateLimiter('t', { maxRequests: 4, intervalMs: 100, slackMs: 20 });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => limiter.schedule(async () => void starts.push(Date.now()))));
    for (let i = 4; i < starts.length; i++) expect((starts[i] ?? 0) - (starts[i - 4] ?? 0)).toBeGreaterThanOrEqual(100);
    await limiter.stop();
  });

  it('pause holds only this account; the daily reservoir runs out to DAILY_LIMIT_REACHED', async () => {
    const a = new AccountRateLimiter('a', { maxRequests: 100, intervalMs: 1000, dailyMax: 2 });
    const b = new AccountRateLimiter('b', { maxRequests: 100, intervalMs: 1000 });
    a.pause(150);
    const t0 = Date.now();
    const [ta, tb] = await Promise.all([a.schedule(async () => Date.now()), b.schedule(async () => Date.now())]);
    expect((ta as number) - t0).toBeGreaterThanOrEqual(140);
    expect(tb as number).toBeLessThan(ta as number);
    expect(await a.schedule(async () => 'second')).toBe('second');
    expect(await a.schedule(async () => 'third')).toBe(DAILY_LIMIT_REACHED);
    await Promise.all([a.stop(), b.stop()]);
  });
});
