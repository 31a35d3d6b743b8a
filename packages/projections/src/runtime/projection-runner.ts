/**
 * The live runner of one projection. It competes for a session-level advisory lock on a dedicated
 * connection (a second instance polls and takes over when the holder's session dies), bumps the
 * lease epoch (fencing), then subscribes from the live generation's checkpoint and applies each
 * batch plus its checkpoint in one transaction on that same connection. A poison event is
 * recorded as a dead letter, retried with back-off, and skipped after `maxAttempts`.
 *
 * Connection failures (the database or the event store going away, our session ended) never end
 * the runner: the batch in flight is lost with its transaction (never half-applied), the runner
 * backs off exponentially with jitter (capped, default 30 s), takes its lock again and resumes
 * from its checkpoint. Failures are logged once per kind per interval with a count, and the
 * current one is kept in `state` for /readyz and /metrics.
 */
import type { WorkspaceRules } from '@recon/domain';
import { isEventStoreError, type EventStore, type SubscriptionFailure } from '@recon/eventstore';
import {
  abortableDelay,
  backoffDelayMs,
  createRateLimitedLog,
  describeFailure,
  isDatabaseUnavailable,
} from '@recon/resilience';
import { sql, type Kysely } from 'kysely';
import { applyAndCheckpoint, GenerationChangedError, LeaseLostError } from './apply-and-checkpoint';
import { recordFailure, skippedEventIds } from './dead-letters';
import { ensureLiveGeneration } from './generations';
import { startLockHeartbeat } from './lock-heartbeat';
import { parseBatch } from './parse-events';
import { PoisonEventError, type BatchSideEffect, type Projection, type ProjectionChange } from './projection';
import { subscriptionBatches, type SubscriptionBatch } from './subscription-batches';

export interface RunnerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RunnerOptions {
  /** Attempts before a poison event is skipped (live mode). Default 5. */
  readonly maxAttempts?: number;
  /** First retry back-off; doubles per attempt. Default 200 ms. */
  readonly retryBaseMs?: number;
  /** Cap of the back-off after runner failures (lost connection…). Default 30 000 ms. */
  readonly retryMaxMs?: number;
  /** How often an idle leader checks that its lock connection is still there. Default 5 000 ms. */
  readonly lockHeartbeatMs?: number;
  /** One log line per failure kind per this interval. Default 30 000 ms. */
  readonly failureLogIntervalMs?: number;
  /** How often a waiting instance tries the lock. Default 1 000 ms. */
  readonly lockPollMs?: number;
  readonly maxBatch?: number;
  readonly idleMs?: number;
}

export interface RunnerDeps {
  readonly store: EventStore;
  readonly db: Kysely<unknown>;
  readonly clock: () => Date;
  readonly log: RunnerLog;
  readonly rulesFor: (workspaceId: string) => WorkspaceRules;
  readonly sideEffects: readonly BatchSideEffect[];
  /** Called after each committed batch (e.g. to kick the link dispatcher). */
  readonly afterCommit?: (changes: readonly ProjectionChange[]) => void;
  /** Rebuilds the projection blue/green (used when the live generation's version is outdated). */
  readonly rebuild: (projection: Projection) => Promise<void>;
  readonly options: RunnerOptions;
}

export interface RunnerState {
  leader: boolean;
  caughtUp: boolean;
  lastError: { readonly code: string; readonly message: string; readonly at: Date } | null;
  /** Failures since the runner last made progress (0 when healthy). */
  consecutiveFailures: number;
  /** The failure the runner is retrying now, or null when it works. */
  failing: { readonly code: string; readonly cause: string; readonly since: Date; readonly retryInMs: number } | null;
}

export interface ProjectionRunner {
  readonly projection: Projection;
  readonly state: RunnerState;
  /** Resolves at the next committed batch (or when `signal` aborts). */
  nextCommit(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

export function startProjectionRunner(projection: Projection, deps: RunnerDeps): ProjectionRunner {
  const projectionName = projection.name;
  const stopping = new AbortController();
  const state: RunnerState = { leader: false, caughtUp: false, lastError: null, consecutiveFailures: 0, failing: null };
  let waiters: (() => void)[] = [];
  const notify = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const maxAttempts = deps.options.maxAttempts ?? 5;
  const retryBaseMs = deps.options.retryBaseMs ?? 200;
  const lockPollMs = deps.options.lockPollMs ?? 1_000;
  const backoff = { baseMs: retryBaseMs, maxMs: deps.options.retryMaxMs ?? 30_000 };
  const failures = createRateLimitedLog(deps.log, { intervalMs: deps.options.failureLogIntervalMs ?? 30_000 });
  const fail = (code: string, error: unknown) => {
    // Poison events carry recon's own message; anything else only its class and code (a driver
    // message can quote row values).
    const message = error instanceof PoisonEventError ? error.message : describeFailure(error);
    state.lastError = { code, message, at: deps.clock() };
  };
  /** A failure the runner (or the store, for its subscription) retries after `retryInMs`. */
  const failing = (code: string, cause: string, retryInMs: number) => {
    state.consecutiveFailures += 1;
    state.failing = { code, cause, since: state.failing?.since ?? deps.clock(), retryInMs };
    state.lastError = { code, message: cause, at: deps.clock() };
    failures.failure(code, { projection: projectionName, cause, retryInMs }, 'projection: runner failing, retrying');
  };
  const progressed = () => {
    if (state.failing === null && state.consecutiveFailures === 0) return;
    const code = state.failing?.code;
    state.consecutiveFailures = 0;
    state.failing = null;
    if (code !== undefined) failures.recovered(code, { projection: projectionName }, 'projection: runner recovered');
  };
  const onRetry = (failure: SubscriptionFailure) => failing(failure.code, failure.cause, failure.retryInMs);

  async function applyWithRetries(
    conn: Kysely<unknown>,
    generation: number,
    epoch: number,
    batch: SubscriptionBatch,
    skip: Set<string>,
  ): Promise<void> {
    for (;;) {
      try {
        const events = parseBatch(batch.events, skip);
        // The schema is filled in by the batch transaction from the live generation row.
        const ctx = {
          mode: 'live' as const,
          schema: '',
          comparePositions: deps.store.comparePositions,
          rulesFor: deps.rulesFor,
        };
        const changes = await applyAndCheckpoint(conn, projection, events, batch.position, ctx, {
          generation,
          epoch,
          sideEffects: deps.sideEffects,
        });
        deps.afterCommit?.(changes);
        return;
      } catch (error) {
        if (!(error instanceof PoisonEventError)) throw error;
        const r = await recordFailure(deps.db, projection.name, error, maxAttempts, deps.clock());
        fail(error.code, error);
        deps.log.warn(
          {
            projection: projectionName,
            eventId: error.recorded.id,
            position: error.recorded.position,
            code: error.code,
            attempts: r.attempts,
            skipped: r.skipped,
          },
          'projection: poison event',
        );
        if (r.skipped) skip.add(error.recorded.id);
        else await abortableDelay(retryBaseMs * 2 ** (r.attempts - 1), stopping.signal);
        if (stopping.signal.aborted) throw error;
      }
    }
  }

  /** Runs while holding the lock; returns when the lease is lost or the runner stops. */
  async function lead(conn: Kysely<unknown>): Promise<void> {
    while (!stopping.signal.aborted) {
      const live = await ensureLiveGeneration(deps.db, projection);
      if (live.version !== projection.version) {
        deps.log.info(
          { projection: projectionName, from: live.version, to: projection.version },
          'projection: version changed, rebuilding',
        );
        await deps.rebuild(projection);
        continue;
      }
      const bumped = await sql<{ epoch: number; position: string }>`
        UPDATE projection_checkpoints SET epoch = epoch + 1
        WHERE projection = ${projection.name} AND generation = ${live.generation} RETURNING epoch, position`.execute(
        conn,
      );
      const row = bumped.rows[0];
      if (row === undefined) continue;
      const skip = await skippedEventIds(deps.db, projection.name);
      const sub = new AbortController();
      const onStop = () => sub.abort();
      stopping.signal.addEventListener('abort', onStop, { once: true });
      const everyMs = deps.options.lockHeartbeatMs ?? 5_000;
      const heartbeat = startLockHeartbeat(
        () => sql`SELECT 1`.execute(conn),
        { everyMs, timeoutMs: Math.max(everyMs * 2, 5_000) },
        () => sub.abort(),
      );
      try {
        const items = deps.store.subscribe({
          from: row.position as never,
          streamPrefixes: projection.streamPrefixes,
          signal: sub.signal,
          onRetry,
        });
        for await (const batch of subscriptionBatches(items, {
          maxBatch: deps.options.maxBatch ?? 1_000,
          idleMs: deps.options.idleMs ?? 20,
        })) {
          await heartbeat.whileBusy(() => applyWithRetries(conn, live.generation, row.epoch, batch, skip));
          progressed();
          if (batch.caughtUp) state.caughtUp = true;
          notify();
          if (stopping.signal.aborted) break;
        }
      } catch (error) {
        if (error instanceof GenerationChangedError) continue;
        if (error instanceof LeaseLostError) {
          fail('PROJECTION_LEASE_LOST', error);
          return;
        }
        throw error;
      } finally {
        heartbeat.stop();
        sub.abort();
        stopping.signal.removeEventListener('abort', onStop);
      }
      // The lock's session is gone: give up the lead; the loop backs off and takes the lock again.
      if (heartbeat.lost() !== null && !stopping.signal.aborted) throw heartbeat.lost();
    }
  }

  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      let held = false;
      try {
        await deps.db.connection().execute(async (conn) => {
          const got = await sql<{ ok: boolean }>`
            SELECT pg_try_advisory_lock(hashtext('recon.projection'), hashtext(${projection.name})) AS ok`.execute(
            conn,
          );
          if (got.rows[0]?.ok !== true) return;
          held = true;
          state.leader = true;
          try {
            await lead(conn);
          } finally {
            state.leader = false;
            state.caughtUp = false;
            // Bounded: on a half-open connection the unlock would wait forever (the server frees
            // the lock itself when it ends the session).
            await Promise.race([
              sql`SELECT pg_advisory_unlock(hashtext('recon.projection'), hashtext(${projection.name}))`
                .execute(conn)
                .catch(() => undefined),
              abortableDelay(5_000, stopping.signal),
            ]);
          }
        });
      } catch (error) {
        if (stopping.signal.aborted) break;
        // A coded store failure keeps its code (EVENT_STORE_ACCESS_DENIED says what to configure);
        // it is retried with the capped back-off too, so fixing the configuration needs no restart.
        const code = isEventStoreError(error)
          ? error.code
          : isDatabaseUnavailable(error)
            ? 'DATABASE_UNAVAILABLE'
            : 'PROJECTION_RUNNER_FAILED';
        const retryInMs = backoffDelayMs(state.consecutiveFailures + 1, backoff);
        failing(code, describeFailure(error), retryInMs);
        await abortableDelay(retryInMs, stopping.signal);
        continue;
      }
      if (!held) {
        // Not the leader (another process is) — that is not a failure.
        progressed();
        await abortableDelay(lockPollMs, stopping.signal);
      }
    }
  }

  const running = loop();
  return {
    projection,
    state,
    nextCommit(signal) {
      return new Promise((resolve) => {
        if (signal.aborted) return resolve();
        waiters.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    },
    async stop() {
      stopping.abort();
      notify();
      await running;
    },
  };
}
