/**
 * The delivery worker: claims due outbox rows, POSTs each to its workspace's notifyUrl signed with
 * the workspace's notifySecret, and records the outcome (delivered, or retried with backoff and
 * jitter until the row's 24 h deadline, then failed). Several workers may run in one or many
 * processes; per-lead order and crash safety come from the claim SQL (see outbox-claims.ts).
 * Logs carry notification and workspace ids, attempts and codes only: never a URL, secret or body.
 * Every POST goes through @recon/outbound's guarded fetch under the caller's `outboundPolicy`.
 */
import type { WorkspacesDatabase } from '@recon/workspaces';
import { createGuardedFetch, type Lookup, type OutboundPolicy } from '@recon/outbound';
import { createRateLimitedLog, describeFailure } from '@recon/resilience';
import type { Kysely } from 'kysely';
import { retryDelayMs, type BackoffOptions } from './backoff';
import { workspaceNotifyTargets, type NotifyTargetLookup } from './notify-targets';
import { claimDueNotifications, markAttemptFailed, markDelivered, type ClaimedNotification } from './outbox-claims';
import { postNotification } from './post-notification';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signNotification } from './sign-notification';

export interface NotificationLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface NotificationWorkerOptions {
  /** Deliveries in flight at once (default 8). */
  readonly concurrency?: number;
  /** Idle poll interval, ms (default 1 000). */
  readonly pollMs?: number;
  /** Timeout of each POST, ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Claim lease, ms; must exceed timeoutMs (default timeoutMs + 5 000). */
  readonly leaseMs?: number;
  readonly backoff?: BackoffOptions;
  /** Cache of workspace targets, ms (default 5 000). */
  readonly targetsTtlMs?: number;
  /** Largest receiver response read (then discarded), bytes (default 64 KiB). */
  readonly maxResponseBytes?: number;
  readonly random?: () => number;
}

export interface StartNotificationWorkerDeps {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  /** RECON_SECRET_KEY: opens the workspaces' sealed notify secrets (unless `targets` is given). */
  readonly secretKey?: string;
  /** RECON_SECRET_KEY_PREVIOUS during a key rotation (notify secrets it sealed still open). */
  readonly previousSecretKey?: string | undefined;
  /** Where each workspace's notifications go; default: the workspace settings. */
  readonly targets?: NotifyTargetLookup;
  /**
   * Which notify URLs may be called (config `allowPrivateUrls`): strict — https, public addresses
   * checked at connect time — unless the process allows private URLs (a local receiver in tests).
   */
  readonly outboundPolicy: OutboundPolicy;
  /** Name resolution of the guarded fetch (a test resolver); default DNS. */
  readonly lookup?: Lookup;
  readonly clock?: () => Date;
  readonly log?: NotificationLog;
  readonly options?: NotificationWorkerOptions;
}

export interface NotificationWorker {
  /** Look for due rows now (e.g. after a redeliver) instead of at the next poll. */
  kick(): void;
  /** Stops claiming, waits for the deliveries in flight (each bounded by its timeout). */
  stop(): Promise<void>;
}

const silent: NotificationLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function startNotificationWorker(deps: StartNotificationWorkerDeps): NotificationWorker {
  const o = deps.options ?? {};
  const concurrency = Math.max(1, o.concurrency ?? 8);
  const pollMs = o.pollMs ?? 1_000;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const leaseMs = Math.max(o.leaseMs ?? timeoutMs + 5_000, timeoutMs + 1_000);
  const log = deps.log ?? silent;
  // A database outage fails every poll: one line per kind per interval, with a count.
  const failures = createRateLimitedLog(log);
  const clock = deps.clock ?? (() => new Date());
  const db = deps.db as Kysely<unknown>;
  if (deps.targets === undefined && deps.secretKey === undefined)
    throw new Error('startNotificationWorker needs secretKey or targets');
  const targets =
    deps.targets ??
    workspaceNotifyTargets(
      deps.db as Kysely<WorkspacesDatabase>,
      deps.secretKey ?? '',
      o.targetsTtlMs,
      deps.previousSecretKey,
    );
  const guarded = createGuardedFetch({
    policy: deps.outboundPolicy,
    timeoutMs,
    maxResponseBytes: o.maxResponseBytes ?? 64 * 1024,
    ...(deps.lookup !== undefined ? { lookup: deps.lookup } : {}),
  });

  let stopped = false;
  let wake: (() => void) | null = null;
  // A wake-up that came while the loop was busy (claiming): the next sleep returns at once.
  let woken = false;
  const wakeUp = () => {
    woken = true;
    wake?.();
  };
  const inflight = new Set<Promise<void>>();

  async function deliver(claim: ClaimedNotification): Promise<void> {
    const ids = { notificationId: claim.id, workspaceId: claim.workspaceId, attempt: claim.attempts };
    try {
      const target = await targets(claim.workspaceId);
      const outcome = target.ok
        ? await postNotification({
            url: target.url,
            body: claim.body,
            headers: {
              [SIGNATURE_HEADER]: signNotification(target.secret, claim.body, clock().getTime()),
              [IDEMPOTENCY_HEADER]: claim.id,
            },
            timeoutMs,
            fetch: guarded.fetch,
          })
        : ({ ok: false, code: target.code, status: null } as const);
      if (outcome.ok) {
        const recorded = await markDelivered(db, claim, outcome.status);
        log.info({ ...ids, status: outcome.status, recorded }, 'notification delivered');
        return;
      }
      const delayMs = retryDelayMs(claim.attempts, o.backoff, o.random);
      const status = await markAttemptFailed(db, claim, { code: outcome.code, httpStatus: outcome.status, delayMs });
      const detail = 'detail' in outcome && outcome.detail !== undefined ? { detail: outcome.detail } : {};
      const fields = { ...ids, code: outcome.code, ...detail, httpStatus: outcome.status, next: status };
      if (status === 'failed') log.error(fields, 'notification failed for good after its retry window');
      else log.warn({ ...fields, retryInMs: delayMs }, 'notification attempt failed');
    } catch (error) {
      // The database went away mid-attempt: the claim's lease expires and the row is retried.
      failures.failure(
        'NOTIFY_RECORD_FAILED',
        { ...ids, code: 'NOTIFY_RECORD_FAILED', cause: describeFailure(error) },
        'notification outcome not recorded',
      );
    }
  }

  function sleep(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        woken = false;
        resolve();
      }
      wake = done;
    });
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      const free = concurrency - inflight.size;
      let claimed: ClaimedNotification[] = [];
      if (free > 0) {
        try {
          claimed = await claimDueNotifications(db, free, leaseMs);
          failures.recovered('NOTIFY_CLAIM_FAILED', {}, 'notification claims work again');
        } catch (error) {
          failures.failure(
            'NOTIFY_CLAIM_FAILED',
            { code: 'NOTIFY_CLAIM_FAILED', cause: describeFailure(error) },
            'could not claim notifications',
          );
        }
        for (const claim of claimed) {
          const p: Promise<void> = deliver(claim).finally(() => {
            inflight.delete(p);
            wakeUp();
          });
          inflight.add(p);
        }
        if (claimed.length === free && !stopped) continue;
      }
      if (stopped) break;
      await sleep(pollMs);
    }
  }

  const running = loop();
  return {
    kick() {
      wakeUp();
    },
    async stop() {
      stopped = true;
      wakeUp();
      await running;
      await Promise.all([...inflight]);
      await guarded.close();
    },
  };
}
