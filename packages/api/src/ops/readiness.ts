/**
 * What `/readyz` answers: whether this process can serve (the database and the event store answer,
 * every projection has a live generation, a runner somewhere holds it and it is not falling
 * behind) and, when not, why — as coded reasons an operator or an alert can act on:
 * - DATABASE_UNREACHABLE / EVENT_STORE_UNREACHABLE: the dependency did not answer within 2 s;
 * - PROJECTION_NOT_RUNNING: no runner holds the projection, or it is behind by more than 60 s;
 * - PROJECTION_FAILING: a runner in this process is retrying a failure (code, since when);
 * - LONG_TRANSACTION: a transaction on the server (any database) older than the threshold holds
 *   the event store's fence, so new events stay invisible to the projections. It is reported
 *   without making the process unready: ingestion still works, and taking every replica out of a
 *   load balancer for another database's transaction would turn a lag into an outage.
 */
import {
  ALL_PROJECTIONS,
  projectionStatus,
  projectionsWithRunner,
  type ProjectionStatus,
  type RunnerState,
} from '@recon/projections';
import { sql, type Kysely } from 'kysely';
import type { AppServices } from '../app-services';
import { oldestTransactions } from './oldest-transaction';

/** A projection whose oldest unapplied event is older than this is reported as not running. */
export const READY_MAX_LAG_SECONDS = 60;
const PROBE_TIMEOUT_MS = 2_000;

export type ReadinessReason =
  | { readonly code: 'DATABASE_UNREACHABLE' }
  | { readonly code: 'EVENT_STORE_UNREACHABLE' }
  | { readonly code: 'PROJECTION_NOT_RUNNING'; readonly projection: string }
  | {
      readonly code: 'PROJECTION_FAILING';
      readonly projection: string;
      readonly failure: string;
      readonly since: string;
    }
  | { readonly code: 'LONG_TRANSACTION'; readonly database: string; readonly ageSeconds: number };

export interface ReadinessReport {
  readonly ready: boolean;
  readonly body: {
    readonly status: 'ready' | 'not_ready';
    readonly checks: {
      readonly database: boolean;
      readonly eventStore: boolean;
      readonly projections: readonly {
        name: string;
        live: boolean;
        runner: boolean;
        lagSeconds: number;
        running: boolean;
      }[];
    };
    readonly reasons: readonly ReadinessReason[];
  };
}

export async function within<T>(
  work: Promise<T>,
  ms = PROBE_TIMEOUT_MS,
): Promise<{ ok: true; value: T } | { ok: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: false }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ ok: true as const, value })), timeout]);
  } catch {
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}

function failingReasons(runners: ReadonlyMap<string, RunnerState>): ReadinessReason[] {
  return [...runners.entries()].flatMap(([projection, state]) =>
    state.failing === null
      ? []
      : [
          {
            code: 'PROJECTION_FAILING' as const,
            projection,
            failure: state.failing.code,
            since: state.failing.since.toISOString(),
          },
        ],
  );
}

export async function checkReadiness(services: AppServices): Promise<ReadinessReport> {
  const db = services.db as unknown as Kysely<unknown>;
  const [database, store, status, held, oldest] = await Promise.all([
    within(sql`SELECT 1`.execute(db)),
    within(services.store.headPosition()),
    within(projectionStatus(db, services.store, services.clock, ALL_PROJECTIONS)),
    within(
      projectionsWithRunner(
        db,
        ALL_PROJECTIONS.map((p) => p.name),
      ),
    ),
    within(oldestTransactions(db, 3)),
  ]);
  const projections = status.ok
    ? status.value.map((s: ProjectionStatus) => {
        const runner = held.ok && held.value.has(s.name);
        return {
          name: s.name,
          live: s.generation !== null,
          runner,
          lagSeconds: s.lagSeconds,
          running: s.generation !== null && runner && s.lagSeconds <= READY_MAX_LAG_SECONDS,
        };
      })
    : [];
  const reasons: ReadinessReason[] = [];
  if (!database.ok) reasons.push({ code: 'DATABASE_UNREACHABLE' });
  if (!store.ok) reasons.push({ code: 'EVENT_STORE_UNREACHABLE' });
  for (const p of projections) if (!p.running) reasons.push({ code: 'PROJECTION_NOT_RUNNING', projection: p.name });
  reasons.push(...failingReasons(services.runners()));
  for (const tx of oldest.ok ? oldest.value : []) {
    if (tx.ageSeconds >= services.longTransactionSeconds)
      reasons.push({ code: 'LONG_TRANSACTION', database: tx.database, ageSeconds: tx.ageSeconds });
  }
  const ready = database.ok && store.ok && status.ok && projections.every((p) => p.running);
  return {
    ready,
    body: {
      status: ready ? 'ready' : 'not_ready',
      checks: { database: database.ok, eventStore: store.ok, projections },
      reasons,
    },
  };
}
