/**
 * The retention loop of `recon start`: every `everyMs` (default one hour) each task deletes what
 * finished more than `days` ago (RECON_RETENTION_DAYS, default 30; 0 turns the loop off), in
 * bounded batches inside the task. The tasks are those of the roles this process runs: the outbox
 * and finished backfill jobs with the scheduler role (which runs the notification worker and
 * resumes backfills), dead letters with the projections role. Several replicas may prune at once:
 * each DELETE is idempotent. Runs never overlap; a failing task is logged (its code, never a value)
 * and the others still run.
 */
export interface RetentionTask {
  readonly name: string;
  /** Deletes what finished before `before`; returns how many rows went. */
  prune(before: Date): Promise<number>;
}

export interface RetentionLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RetentionOptions {
  readonly tasks: readonly RetentionTask[];
  readonly days: number;
  readonly clock: () => Date;
  readonly log: RetentionLog;
  /** Between runs, ms (default 3,600,000). */
  readonly everyMs?: number;
  /** Before the first run, ms (default 60,000: start-up first). */
  readonly initialDelayMs?: number;
}

export interface RetentionHandle {
  /** Runs every task now (after a run in progress); rows deleted per task. */
  runNow(): Promise<Record<string, number>>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

function causeOf(error: unknown): string {
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? `${name}:${code}` : name;
}

export function startRetention(options: RetentionOptions): RetentionHandle {
  let running: Promise<Record<string, number>> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const runOnce = async (): Promise<Record<string, number>> => {
    if (options.days <= 0) return {}; // 0 keeps everything
    const before = new Date(options.clock().getTime() - options.days * DAY_MS);
    const deleted: Record<string, number> = {};
    for (const task of options.tasks) {
      try {
        deleted[task.name] = await task.prune(before);
      } catch (error) {
        options.log.warn(
          { code: 'RETENTION_FAILED', task: task.name, cause: causeOf(error) },
          'retention: pruning failed',
        );
      }
    }
    if (Object.values(deleted).some((n) => n > 0))
      options.log.info({ before: before.toISOString(), deleted }, 'retention: old rows deleted');
    return deleted;
  };

  const runNow = (): Promise<Record<string, number>> => {
    const previous = running ?? Promise.resolve({});
    const next = previous.catch(() => ({})).then(runOnce);
    running = next;
    void next.finally(() => {
      if (running === next) running = null;
    });
    return next;
  };

  const schedule = (delay: number) => {
    if (stopped || options.days <= 0 || options.tasks.length === 0) return;
    timer = setTimeout(() => {
      void runNow()
        .catch(() => undefined)
        .finally(() => schedule(options.everyMs ?? 3_600_000));
    }, delay);
    timer.unref();
  };
  schedule(options.initialDelayMs ?? 60_000);

  return {
    runNow,
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
