/**
 * One limiter per provider account (GHL location, Calendly user; each provider module says which),
 * so recon stays under the provider's limits *before* they are hit.
 *
 * Pacing is a sliding window over our own request starts: a request starts only while fewer than
 * `max` started in the last (interval + slack), so no window of the interval holds more than `max`
 * whatever the provider's window alignment (a reservoir refreshed every interval is a fixed window:
 * at its edge it can start 2 × max within a few ms, which a provider counting a sliding window
 * rejects). The slack absorbs network jitter between our send time and the provider's arrival
 * time. Unlike a fixed spacing (`minTime`), a start delayed by a busy or descheduled event loop is
 * not capacity lost for good: the window lets the next starts catch up (at most 1.33 × the even
 * pace, never over the window's max). A daily cap (GHL) is a count reset every 24 h. A 429 pauses
 * *this* account until the wait ends; other accounts keep their pace.
 */
import type { Provider } from '@recon/domain';

export interface RateLimitOptions {
  /** Requests allowed per interval (GHL 100; Calendly 500, Free 50). */
  readonly maxRequests: number;
  readonly intervalMs: number;
  /** Daily cap (GHL 200,000); omit for none. */
  readonly dailyMax?: number;
  /** Extra ms added to the interval's window; default max(100, 2 % of the interval). */
  readonly slackMs?: number;
}

export const DAILY_LIMIT_REACHED = Symbol('DAILY_LIMIT_REACHED');

const DAY_MS = 86_400_000;
/**
 * Catch-up pace: two starts are at least this share of the even spacing apart (at most 1.33 × the
 * even pace while catching up), so a stall is not followed by a burst that the provider's clock,
 * seeing our requests with their own jitter, could count into one window.
 */
const CATCH_UP_GAP = 0.75;

interface Job {
  readonly run: () => void;
  readonly daily: () => void;
}

export class AccountRateLimiter {
  /** Start times (ms) of the requests in the current window, oldest first. */
  private readonly starts: number[] = [];
  private readonly queue: Job[] = [];
  private readonly windowMs: number;
  /** Catching up never starts two requests closer than this (CATCH_UP_GAP of the even spacing). */
  private readonly minGapMs: number;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private pausedUntil = 0;
  private dailyUsed = 0;
  private dailyResetAt: number;
  private running = 0;
  private stopped = false;
  private idle: (() => void)[] = [];

  constructor(
    readonly key: string,
    readonly options: RateLimitOptions,
  ) {
    if (!(options.maxRequests > 0 && options.intervalMs > 0)) throw new Error('rate limit must be positive');
    const slack = options.slackMs ?? Math.max(100, options.intervalMs * 0.02);
    this.windowMs = options.intervalMs + slack;
    this.minGapMs = Math.floor((this.windowMs / options.maxRequests) * CATCH_UP_GAP);
    this.dailyResetAt = Date.now() + DAY_MS;
  }

  /** Runs `fn` when the account's pace allows; resolves DAILY_LIMIT_REACHED without running it when the daily cap is spent. */
  schedule<T>(fn: () => Promise<T>): Promise<T | typeof DAILY_LIMIT_REACHED> {
    if (this.stopped) return Promise.reject(new Error('This limiter has been stopped.'));
    if (this.dailySpent(Date.now())) return Promise.resolve(DAILY_LIMIT_REACHED);
    return new Promise<T | typeof DAILY_LIMIT_REACHED>((resolve, reject) => {
      this.queue.push({
        run: () => {
          this.running++;
          let result: Promise<T>;
          try {
            result = fn();
          } catch (error) {
            result = Promise.reject(error);
          }
          result.then(resolve, reject).finally(() => {
            this.running--;
            this.settle();
          });
        },
        daily: () => resolve(DAILY_LIMIT_REACHED),
      });
      this.drain();
    });
  }

  private dailySpent(now: number): boolean {
    if (this.options.dailyMax === undefined) return false;
    if (now >= this.dailyResetAt) {
      this.dailyUsed = 0;
      this.dailyResetAt = now + DAY_MS;
    }
    return this.dailyUsed >= this.options.dailyMax;
  }

  /** Starts every queued job the window allows now; arms one timer for the next. */
  private drain(): void {
    for (;;) {
      const job = this.queue[0];
      if (job === undefined) return this.settle();
      const now = Date.now();
      if (this.dailySpent(now)) {
        this.queue.shift();
        job.daily();
        continue;
      }
      let waitUntil = this.pausedUntil;
      while (this.starts.length > 0 && (this.starts[0] ?? 0) <= now - this.windowMs) this.starts.shift();
      if (this.starts.length >= this.options.maxRequests)
        waitUntil = Math.max(waitUntil, (this.starts[0] ?? now) + this.windowMs);
      const last = this.starts.at(-1);
      if (last !== undefined) waitUntil = Math.max(waitUntil, last + this.minGapMs);
      if (waitUntil > now) return this.arm(waitUntil);
      this.queue.shift();
      this.starts.push(now);
      this.dailyUsed++;
      job.run();
    }
  }

  private arm(at: number): void {
    if (this.timer !== null && this.timerAt <= at) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.drain();
      },
      Math.max(0, at - Date.now()),
    );
  }

  private settle(): void {
    if (this.queue.length > 0 || this.running > 0) return;
    const waiting = this.idle;
    this.idle = [];
    for (const done of waiting) done();
  }

  /** Holds every request of this account for `ms` (after a 429). Extends, never shortens, a running pause. */
  pause(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.queue.length > 0) this.arm(until);
  }

  /** Marks the daily cap as spent (the provider said so) until the count resets. */
  async exhaustDaily(): Promise<void> {
    if (this.options.dailyMax === undefined) return;
    this.dailyUsed = this.options.dailyMax;
  }

  isPaused(): boolean {
    return Date.now() < this.pausedUntil;
  }

  /** How much longer this account is paused after a 429, ms (0 when it is not). */
  pausedForMs(): number {
    return Math.max(0, this.pausedUntil - Date.now());
  }

  /** Refuses new jobs, lifts a pause, and resolves once every queued job has run and finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pausedUntil = 0;
    const done = new Promise<void>((resolve) => this.idle.push(resolve));
    this.drain();
    this.settle();
    await done;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
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
