/**
 * Notices that the connection holding a projection's lock is gone while the runner is idle. The
 * runner waits on its subscription between batches; if the server ended the lock's session
 * meanwhile (failover, restart, pg_terminate_backend), the lock is already free and another
 * instance may take it, but this runner would only find out at its next batch — and with no new
 * events it would sit there forever, reporting itself the leader. A cheap probe every few seconds
 * (never while a batch runs on the same connection) finds out, and `onLost` ends the lead so the
 * runner takes its lock again.
 */
export interface LockHeartbeat {
  /** Runs `work` with the probe held off (the batch and the probe share one connection). */
  whileBusy<T>(work: () => Promise<T>): Promise<T>;
  /** The failure that ended the heartbeat, or null. */
  lost(): unknown;
  stop(): void;
}

export interface LockHeartbeatOptions {
  readonly everyMs: number;
  /** A probe that takes longer than this counts as lost (a half-open connection). */
  readonly timeoutMs: number;
}

export function startLockHeartbeat(
  probe: () => Promise<unknown>,
  options: LockHeartbeatOptions,
  onLost: (error: unknown) => void,
): LockHeartbeat {
  let busy = 0;
  let probing = false;
  let lost: unknown = null;
  const markLost = (error: unknown) => {
    if (lost !== null) return;
    lost = error ?? new Error('lock connection lost');
    onLost(lost);
  };
  const timer = setInterval(() => {
    if (busy > 0 || probing || lost !== null) return;
    probing = true;
    let timeout: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timeout = setTimeout(() => reject(new Error('lock connection probe timed out')), options.timeoutMs);
    });
    Promise.race([probe(), expired])
      .catch(markLost)
      .finally(() => {
        clearTimeout(timeout);
        probing = false;
      });
  }, options.everyMs);
  timer.unref();
  return {
    async whileBusy(work) {
      busy += 1;
      try {
        return await work();
      } finally {
        busy -= 1;
      }
    },
    lost: () => lost,
    stop: () => clearInterval(timer),
  };
}
