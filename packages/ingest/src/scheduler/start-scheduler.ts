/**
 * The in-process scheduler of `recon start`: a tick every `everyMs` (default one minute; which
 * leads are due follows each workspace's reconcileIntervalMinutes). Ticks never overlap in one
 * process, and the per-workspace leases keep them apart from other replicas and the cron route.
 * After a tick it resumes backfill jobs nobody runs (a crashed runner, a timed-out serverless call)
 * in the background; every 15 min it first starts a bounded backfill for an unhealthy provider
 * (deliveries/auto-backfill.ts). `stop()` waits for a running tick to finish and pauses resumed backfills after
 * their current page (graceful shutdown).
 */
import type { ReconcileDeps } from '../reconcile/reconcile-deps';
import type { BackfillLog } from '../backfill/backfill-log';
import { resumeBackfills } from '../backfill/resume-backfills';
import { startAutoBackfills } from '../deliveries/auto-backfill';
import { runReconcileTick, type TickOptions, type TickSummary } from './run-reconcile-tick';

export interface SchedulerOptions extends TickOptions {
  /** Tick period in ms (default 60,000). The tick's time budget defaults to 90 % of it. */
  readonly everyMs?: number;
  /** First tick after this many ms (default: at once). */
  readonly initialDelayMs?: number;
  readonly onTick?: (summary: TickSummary) => void;
  /** A tick that threw (a bug or the database down); the scheduler keeps going. */
  readonly onError?: (error: unknown) => void;
  /** After each tick, resume backfill jobs no runner holds (crashed or timed out); default true. */
  readonly resumeBackfills?: boolean;
  /** Where a resumed backfill's end is logged (job id, workspace id, code); default nowhere. */
  readonly backfillLog?: BackfillLog;
  /** How often unhealthy providers are looked for to start a bounded backfill (ms, default 15 min; 0: never). */
  readonly autoBackfillEveryMs?: number;
}

export interface SchedulerHandle {
  /** Runs a tick now (waits for a running one first). */
  tickNow(): Promise<TickSummary>;
  stop(): Promise<void>;
}

export function startScheduler(deps: ReconcileDeps, options: SchedulerOptions = {}): SchedulerHandle {
  const everyMs = options.everyMs ?? 60_000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<TickSummary> | null = null;
  let resuming: Promise<unknown> | null = null;
  const abort = new AbortController();
  // stop() aborts: a running tick starts no more leads, so a graceful stop waits only for checks in flight.
  const tickOptions: TickOptions = {
    ...options,
    timeBudgetMs: options.timeBudgetMs ?? Math.floor(everyMs * 0.9),
    signal: abort.signal,
  };
  const resume = () => {
    if (options.resumeBackfills === false || resuming !== null || stopped) return;
    resuming = resumeBackfills(deps, {
      signal: abort.signal,
      ...(options.backfillLog !== undefined ? { log: options.backfillLog } : {}),
    })
      .catch((e: unknown) => options.onError?.(e))
      .finally(() => {
        resuming = null;
      });
  };

  const autoEveryMs = options.autoBackfillEveryMs ?? 15 * 60_000;
  let autoCheckedAt = Date.now(); // the first look one period after start
  const autoBackfill = async () => {
    const at = Date.now();
    if (autoEveryMs <= 0 || stopped || at - autoCheckedAt < autoEveryMs) return;
    autoCheckedAt = at;
    await startAutoBackfills(deps).catch((e: unknown) => options.onError?.(e));
  };

  const run = (): Promise<TickSummary> => {
    const previous = running ?? Promise.resolve(null);
    const next = previous.catch(() => null).then(() => runReconcileTick(deps, tickOptions));
    running = next;
    void next
      .then(
        (s) => options.onTick?.(s),
        (e: unknown) => options.onError?.(e),
      )
      .finally(() => {
        if (running === next) running = null;
      });
    return next;
  };

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void run()
        .catch(() => undefined)
        .then(autoBackfill)
        .finally(() => {
          resume();
          schedule(everyMs);
        });
    }, delay);
    timer.unref();
  };
  schedule(options.initialDelayMs ?? 0);

  return {
    tickNow: run,
    async stop() {
      stopped = true;
      abort.abort();
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
      await resuming;
    },
  };
}
