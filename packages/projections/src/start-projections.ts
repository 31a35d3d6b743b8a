/**
 * Starts recon's projections in this process: one runner per projection (each runs in one process
 * at a time, cluster-wide), the link dispatcher of the identities process manager, and the handle
 * the rest of the app uses: status, read-your-writes waiting, stop.
 */
import { DEFAULT_WORKSPACE_RULES, type WorkspaceRules } from '@recon/domain';
import type { EventStore, Position } from '@recon/eventstore';
import type { Kysely } from 'kysely';
import { projectionsNamed } from './all-projections';
import { startLinkDispatcher } from './identities/link-dispatcher';
import type { BatchSideEffect, Projection } from './runtime/projection';
import {
  startProjectionRunner,
  type RunnerLog,
  type RunnerOptions,
  type RunnerState,
} from './runtime/projection-runner';
import { projectionStatus, type ProjectionStatus } from './runtime/projection-status';
import { rebuildWith } from './runtime/rebuild';
import { waitForPosition, type WaitResult } from './runtime/wait-for-position';

export interface StartProjectionsDeps {
  readonly store: EventStore;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly clock: () => Date;
  readonly log?: RunnerLog;
  /** Workspace settings for the rules; default: the domain's defaults for every workspace. */
  readonly rulesFor?: (workspaceId: string) => WorkspaceRules;
  /** Which projections to run here; default all. */
  readonly names?: readonly string[];
  /** Written inside each live batch transaction (e.g. the notification outbox). */
  readonly sideEffects?: readonly BatchSideEffect[];
  readonly options?: RunnerOptions & { readonly linkDispatchIntervalMs?: number };
}

export interface ProjectionsHandle {
  status(): Promise<ProjectionStatus[]>;
  /** The state of the runners in this process (leader, caught up, the failure being retried). */
  runners(): ReadonlyMap<string, RunnerState>;
  /**
   * Waits until every projection run here passed `position` (default: the store's last committed
   * event now, `lastCommittedPosition` — every write committed before the call is then applied).
   */
  waitUntilCaughtUp(position?: Position, options?: { readonly timeoutMs?: number }): Promise<WaitResult>;
  stop(): Promise<void>;
}

const silent: RunnerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function startProjections(deps: StartProjectionsDeps): ProjectionsHandle {
  const db = deps.db as Kysely<unknown>;
  const rulesFor = deps.rulesFor ?? (() => DEFAULT_WORKSPACE_RULES);
  const projections: Projection[] = projectionsNamed(deps.names);
  const dispatcher = projections.some((p) => p.name === 'identities')
    ? startLinkDispatcher(db, deps.store, deps.clock, deps.options?.linkDispatchIntervalMs)
    : null;
  const rebuild = async (p: Projection) => {
    const r = await rebuildWith({ store: deps.store, db, rulesFor }, [p]);
    if (!r.ok) throw new Error(`rebuild of ${p.name} failed: ${r.code}`);
  };
  const runners = projections.map((p) =>
    startProjectionRunner(p, {
      store: deps.store,
      db,
      clock: deps.clock,
      log: deps.log ?? silent,
      rulesFor,
      sideEffects: deps.sideEffects ?? [],
      afterCommit: (changes) => {
        if (changes.some((c) => c.kind === 'link-requested')) dispatcher?.kick();
      },
      rebuild,
      options: deps.options ?? {},
    }),
  );
  const local = new Map<string, RunnerState>(runners.map((r) => [r.projection.name, r.state]));
  return {
    status: () => projectionStatus(db, deps.store, deps.clock, projections, local),
    runners: () => local,
    waitUntilCaughtUp: (position, options) =>
      waitForPosition(db, deps.store, position, {
        names: projections.map((p) => p.name),
        timeoutMs: options?.timeoutMs ?? 5_000,
        onCommit: (signal) => Promise.race(runners.map((r) => r.nextCommit(signal))),
      }),
    async stop() {
      await Promise.all(runners.map((r) => r.stop()));
      await dispatcher?.stop();
    },
  };
}
