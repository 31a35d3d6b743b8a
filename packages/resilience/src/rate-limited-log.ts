/**
 * One log line per failure kind per interval, with the number of failures it stands for, instead
 * of one line per retry (a database outage retried every 200 ms would otherwise flood the log).
 * The first failure of a kind is logged at once; later ones within the interval are counted and
 * reported by the next line of that kind; `recovered` logs once when a failing kind works again.
 */
export interface FailureLogSink {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RateLimitedLog {
  /** Logs (or counts) a failure of `kind`; `fields` must carry ids and codes only, never data. */
  failure(kind: string, fields: object, msg: string, level?: 'warn' | 'error'): void;
  /** Logs once that `kind` works again (with how many failures it had), if it was failing. */
  recovered(kind: string, fields: object, msg: string): void;
  /** Failures of `kind` since it last worked (0 when healthy). */
  failingCount(kind: string): number;
}

interface KindState {
  lastLoggedAt: number;
  suppressed: number;
  total: number;
}

export function createRateLimitedLog(
  sink: FailureLogSink,
  options: { readonly intervalMs?: number; readonly now?: () => number } = {},
): RateLimitedLog {
  const intervalMs = options.intervalMs ?? 30_000;
  const now = options.now ?? Date.now;
  const kinds = new Map<string, KindState>();
  return {
    failure(kind, fields, msg, level = 'error') {
      const t = now();
      const state = kinds.get(kind);
      if (state === undefined) {
        kinds.set(kind, { lastLoggedAt: t, suppressed: 0, total: 1 });
        sink[level]({ ...fields, failure: kind, count: 1 }, msg);
        return;
      }
      state.total += 1;
      if (t - state.lastLoggedAt < intervalMs) {
        state.suppressed += 1;
        return;
      }
      sink[level]({ ...fields, failure: kind, count: state.suppressed + 1, failingFor: state.total }, msg);
      state.lastLoggedAt = t;
      state.suppressed = 0;
    },
    recovered(kind, fields, msg) {
      const state = kinds.get(kind);
      if (state === undefined) return;
      kinds.delete(kind);
      sink.info({ ...fields, failure: kind, failures: state.total }, msg);
    },
    failingCount: (kind) => kinds.get(kind)?.total ?? 0,
  };
}
