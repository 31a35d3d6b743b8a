/**
 * One limiter per provider account (GHL location, Calendly user; each provider module says which), built on `bottleneck`, so recon
 * stays under the provider's limits *before* they are hit.
 *
 * Pacing is bottleneck's `minTime` spacing of (interval + slack) / max: at most `max` request starts
 * in any window of `interval`, whatever the provider's window alignment. (A reservoir refreshed every
 * interval is a fixed window: at a window edge it can start 2 × max requests within a few ms, which
 * a provider counting a sliding or differently aligned window rejects.) The slack absorbs network
 * jitter between our send time and the provider's arrival time. A daily cap (GHL) is a bottleneck
 * reservoir refreshed every 24 h. A 429 pauses *this* account (reservoir 0 until the wait ends);
 * other accounts keep their pace.
 */
import type { Provider } from '@recon/domain';
import Bottleneck from 'bottleneck';

export interface RateLimitOptions {
  /** Requests allowed per interval (GHL 100; Calendly 500, Free 50). */
  readonly maxRequests: number;
  readonly intervalMs: number;
  /** Daily cap (GHL 200,000); omit for none. */
  readonly dailyMax?: number;
  /** Extra ms added to the interval before spacing; default max(100, 2 % of the interval). */
  readonly slackMs?: number;
}

export const DAILY_LIMIT_REACHED = Symbol('DAILY_LIMIT_REACHED');

export class AccountRateLimiter {
  private readonly burst: Bottleneck;
  private readonly daily: Bottleneck | null;
  private pauseTimer: NodeJS.Timeout | null = null;
  private pausedUntil = 0;

  constructor(
    readonly key: string,
    readonly options: RateLimitOptions,
  ) {
    if (!(options.maxRequests > 0 && options.intervalMs > 0)) throw new Error('rate limit must be positive');
    const slack = options.slackMs ?? Math.max(100, options.intervalMs * 0.02);
    this.burst = new Bottleneck({
      minTime: Math.ceil((options.intervalMs + slack) / options.maxRequests),
      id: `burst:${key}`,
    });
    this.daily =
      options.dailyMax === undefined
        ? null
        : new Bottleneck({
            reservoir: options.dailyMax,
            reservoirRefreshAmount: options.dailyMax,
            reservoirRefreshInterval: 86_400_000,
            id: `daily:${key}`,
          });
  }

  /** Runs `fn` when the account's pace allows; resolves DAILY_LIMIT_REACHED without running it when the daily cap is spent. */
  async schedule<T>(fn: () => Promise<T>): Promise<T | typeof DAILY_LIMIT_REACHED> {
    const daily = this.daily;
    if (daily && (await daily.currentReservoir()) === 0) return DAILY_LIMIT_REACHED;
    return this.burst.schedule(() => (daily ? daily.schedule(fn) : fn()));
  }

  /** Holds every request of this account for `ms` (after a 429). Extends, never shortens, a running pause. */
  pause(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.burst.updateSettings({ reservoir: 0 });
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = null;
      this.burst.updateSettings({ reservoir: null });
    }, ms);
    this.pauseTimer.unref();
  }

  /** Marks the daily cap as spent (the provider said so) until the reservoir refreshes. */
  async exhaustDaily(): Promise<void> {
    if (!this.daily) return;
    this.daily.updateSettings({ reservoir: 0 });
    await this.daily.currentReservoir();
  }

  isPaused(): boolean {
    return Date.now() < this.pausedUntil;
  }

  /** How much longer this account is paused after a 429, ms (0 when it is not). */
  pausedForMs(): number {
    return Math.max(0, this.pausedUntil - Date.now());
  }

  async stop(): Promise<void> {
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.burst.updateSettings({ reservoir: null });
    await Promise.all([this.burst.stop({ dropWaitingJobs: false }), this.daily?.stop({ dropWaitingJobs: false })]);
  }
}

/**
 * Limiters keyed by provider account: the same account (e.g. one GHL location seen by two
 * workspaces, which share its provider quota) gets the same limiter; different accounts never share.
 */
export class RateLimiterRegistry {
  private readonly limiters = new Map<string, AccountRateLimiter>();

  /** The account's limiter; `options` (the provider module's limits, or a tuning) apply when it is first made. */
  forAccount(provider: Provider, accountId: string, options: RateLimitOptions): AccountRateLimiter {
    const key = `${provider}:${accountId}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new AccountRateLimiter(key, options);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  get size(): number {
    return this.limiters.size;
  }

  async stopAll(): Promise<void> {
    const all = [...this.limiters.values()];
    this.limiters.clear();
    await Promise.all(all.map((l) => l.stop()));
  }
}
