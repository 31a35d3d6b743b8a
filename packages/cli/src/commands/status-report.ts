/**
 * What `recon status` reports, gathered from each owner package's own queries (nothing here
 * reads another package's tables): projections and their lag, the scheduler, the notification
 * outbox, backfills, and per-workspace counts. Ids, counts and times only: no PII.
 */
import { backfillStatus, schedulerStatus, type BackfillView } from '@recon/ingest';
import { notificationStats } from '@recon/notifications';
import {
  ALL_PROJECTIONS,
  getStats,
  projectionStatus,
  projectionsWithRunner,
  type ProjectionStatus,
} from '@recon/projections';
import { listWorkspaces } from '@recon/workspaces';
import type { Kysely } from 'kysely';
import type { Runtime } from '../runtime/open-runtime';

/** A projection's status as `projectionStatus` reads it, with `running` seen from any process. */
export type ProjectionReport = Pick<
  ProjectionStatus,
  | 'name'
  | 'generation'
  | 'position'
  | 'eventsApplied'
  | 'lagEvents'
  | 'lagCapped'
  | 'lagSeconds'
  | 'caughtUp'
  | 'deadLetters'
> & {
  /** A runner (in any process on this database) holds the projection's lock. */
  readonly running: boolean;
};

export interface BackfillReport {
  readonly id: string;
  readonly workspaceId: string;
  readonly status: string;
  readonly phase: string;
  readonly leadsDone: number;
  readonly leadsTotal: number;
  readonly eventsAppended: number;
  readonly errorCode: string | null;
  readonly updatedAt: string | null;
}

export interface WorkspaceReport {
  readonly id: string;
  readonly name: string;
  readonly leads: number;
  readonly openMismatches: number;
  readonly openTasks: number;
  readonly dueLeads: number;
  readonly lastServedAt: string | null;
}

export interface StatusReport {
  readonly at: string;
  readonly projections: readonly ProjectionReport[];
  readonly scheduler: {
    readonly lastTickAt: string | null;
    readonly lastCheckAt: string | null;
    readonly dueLeads: number;
    readonly leasesHeld: number;
  };
  readonly outbox: {
    readonly pending: number;
    readonly failed: number;
    readonly delivered: number;
    readonly oldestPendingSeconds: number;
  };
  readonly backfills: {
    readonly running: number;
    readonly queued: number;
    readonly failed: number;
    readonly jobs: readonly BackfillReport[];
  };
  readonly workspaces: readonly WorkspaceReport[];
}

const sum = (values: Readonly<Record<string, number>>) => Object.values(values).reduce((n, v) => n + v, 0);

function toBackfillReport(v: BackfillView): BackfillReport {
  return {
    id: v.id,
    workspaceId: v.workspaceId,
    status: v.status,
    phase: v.phase,
    leadsDone: v.leadsDone,
    leadsTotal: v.leadsTotal,
    eventsAppended: v.eventsAppended,
    errorCode: v.errorCode,
    updatedAt: v.finishedAt ?? v.startedAt ?? v.createdAt,
  };
}

export async function gatherStatus(runtime: Runtime, now: Date): Promise<StatusReport> {
  const db = runtime.db as Kysely<unknown>;
  const names = ALL_PROJECTIONS.map((p) => p.name);
  const [projections, running, scheduler, outbox, backfills, workspaces] = await Promise.all([
    projectionStatus(db, runtime.store, () => now, ALL_PROJECTIONS),
    projectionsWithRunner(db, names),
    schedulerStatus(runtime.db, now),
    notificationStats(db),
    backfillStatus(runtime.db, now),
    listWorkspaces(runtime.db),
  ]);
  const schedules = new Map(scheduler.workspaces.map((w) => [w.workspaceId, w]));
  const counts: WorkspaceReport[] = [];
  for (const ws of workspaces) {
    const stats = await getStats(runtime.db, ws.id, now);
    const schedule = schedules.get(ws.id);
    counts.push({
      id: ws.id,
      name: ws.name,
      leads: sum(stats.leadsByState),
      openMismatches: sum(stats.openMismatchesByKind),
      openTasks: stats.openTasks,
      dueLeads: schedule?.dueLeads ?? 0,
      lastServedAt: schedule?.lastServedAt ?? null,
    });
  }
  return {
    at: now.toISOString(),
    projections: projections.map((p) => ({
      name: p.name,
      running: running.has(p.name),
      generation: p.generation,
      position: p.position,
      eventsApplied: p.eventsApplied,
      lagEvents: p.lagEvents,
      lagCapped: p.lagCapped,
      lagSeconds: Math.round(p.lagSeconds * 10) / 10,
      caughtUp: p.caughtUp,
      deadLetters: p.deadLetters,
    })),
    scheduler: {
      lastTickAt: scheduler.lastTickAt,
      lastCheckAt: scheduler.lastCheckAt,
      dueLeads: scheduler.dueLeads,
      leasesHeld: scheduler.workspaces.filter((w) => w.leaseHeld).length,
    },
    outbox: {
      pending: outbox.pending,
      failed: outbox.failed,
      delivered: outbox.delivered,
      oldestPendingSeconds: outbox.oldestPendingSeconds,
    },
    backfills: {
      running: backfills.running,
      queued: backfills.queued,
      failed: backfills.failed,
      jobs: [...backfills.unfinished, ...backfills.recentFailed].map(toBackfillReport),
    },
    workspaces: counts,
  };
}
