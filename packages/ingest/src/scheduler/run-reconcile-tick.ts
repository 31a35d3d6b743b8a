/**
 * One reconciliation tick (the in-process scheduler's and `POST /v1/cron/reconcile`'s unit of
 * work). Workspaces are served least-recently-served first, `concurrency` at a time, each under
 * its PostgreSQL lease (a workspace another tick holds is skipped). Fairness: each workspace gets
 * at most an equal share of the remaining lead budget per pass, so one noisy workspace cannot
 * starve the others; later passes hand unused budget to workspaces that still have due leads.
 * Inside a workspace a few leads ask their providers at once so the provider limiter always has
 * work queued (the limiter, not the tick, sets the pace); a lead gives its slot to the next one as
 * soon as its providers answered, so the paced calls never wait for a lead's writes (those run on,
 * and the scheduler rows of leads that finish together go out in one statement). The inputs of the
 * due leads (scheduler row, contact, linked appointments) are read a chunk at a time in one round
 * trip, and the chunk's leads are folded from the store then too, so a lead's slot holds only
 * its provider calls. The tick stops starting leads when the budget would
 * run out (estimated from the slowest lead so far), and reports what is left.
 */
import { randomUUID } from 'node:crypto';
import { knownAppointmentsOf, prefoldLead, reconcileLead } from '../reconcile/reconcile-lead';
import type { FoldedLead } from '../reconcile/fold-lead';
import type { ReconcileDeps } from '../reconcile/reconcile-deps';
import { reconcileDb } from '../reconcile/reconcile-tables';
import { createLeadScheduleWriter, getLeadInputsBatch, type LeadInputs } from '../reconcile/lead-schedule';
import type { LinkedAppointment } from '../webhooks/lead-lookup';
import { providerNames } from '../providers/registry';
import { hasAnyProvider, workspaceProviders } from '../reconcile/workspace-providers';
import { sweepAttendanceReviews } from '../reconcile/attendance-review-sweep';
import { rescheduleFetchers, sweepRescheduleConfirmations } from '../reconcile/reschedule-confirm-sweep';
import { countDueLeads, selectDueLeads } from './select-due-leads';
import {
  acquireWorkspaceLease,
  releaseWorkspaceLease,
  renewWorkspaceLease,
  workspacesInServingOrder,
} from './workspace-lease';

export interface TickOptions {
  /** Leads checked at most in this tick (default 500). */
  readonly maxLeads?: number;
  /** Wall-clock budget in ms (default 50,000). */
  readonly timeBudgetMs?: number;
  /** Workspaces served in parallel (default 4). */
  readonly concurrency?: number;
  /** Leads of one workspace in flight at once (default 4). */
  readonly leadConcurrency?: number;
  /** Lease owner id (default random per tick). */
  readonly holder?: string;
  /** Window scans (providers that have one, e.g. Calendly): days back / ahead of now (default 7 / 60); 0 ahead disables. */
  readonly scanDaysBack?: number;
  readonly scanDaysAhead?: number;
  /** Only these workspaces (default all). */
  readonly workspaceIds?: readonly string[];
  /** Aborted: start no more leads or scans (a graceful stop); checks in flight finish. */
  readonly signal?: AbortSignal;
}

export interface TickSummary {
  readonly workspaces: number;
  readonly leadsChecked: number;
  readonly eventsAppended: number;
  readonly failures: number;
  readonly remaining: number;
  readonly durationMs: number;
}

const DAY = 86_400_000;
/** Leads whose inputs (scheduler row, contact, linked appointments) are read in one round trip. */
const INPUT_CHUNK = 25;
const SCHEDULE_LINGER_MS = 20;

interface ChunkInputs {
  readonly inputs: ReadonlyMap<string, LeadInputs>;
  readonly linked: ReadonlyMap<string, readonly LinkedAppointment[]> | null;
  /** Each lead folded ahead (when its linked appointments came with the chunk); a failed fold is read again by the check. */
  readonly folds: ReadonlyMap<string, Promise<FoldedLead | null>>;
}

export async function runReconcileTick(deps: ReconcileDeps, options: TickOptions = {}): Promise<TickSummary> {
  const started = Date.now();
  const maxLeads = options.maxLeads ?? 500;
  const budgetMs = options.timeBudgetMs ?? 50_000;
  const holder = options.holder ?? randomUUID();
  const leaseTtlMs = Math.max(30_000, budgetMs * 2);
  const db = reconcileDb(deps.db);
  let leadsLeft = maxLeads;
  let slowestLeadMs = 0;
  const served = new Set<string>();
  /** Workspaces whose sweeps ran this tick (a workspace served in several passes is swept once). */
  const swept = new Set<string>();
  const totals = { leadsChecked: 0, eventsAppended: 0, failures: 0 };
  const timeLeft = () => (options.signal?.aborted === true ? 0 : budgetMs - (Date.now() - started));
  const mayStartLead = () => leadsLeft > 0 && timeLeft() > Math.max(250, slowestLeadMs * 1.5);

  async function readChunk(workspaceId: string, leadIds: readonly string[]): Promise<ChunkInputs> {
    const [inputs, linked] = await Promise.all([
      getLeadInputsBatch(db, workspaceId, leadIds),
      deps.leadLookup.linkedAppointmentsOfLeads?.(workspaceId, leadIds) ?? null,
    ]);
    const folds = new Map<string, Promise<FoldedLead | null>>();
    if (linked !== null)
      for (const leadId of leadIds) {
        const known = knownAppointmentsOf(
          inputs.get(leadId) ?? { contact: null, schedule: null },
          linked.get(leadId) ?? [],
        );
        folds.set(
          leadId,
          prefoldLead(deps, workspaceId, leadId, known).catch(() => null),
        );
      }
    return { inputs, linked, folds };
  }

  // The scheduler rows of this tick's leads: they finish a few ms apart, so each waits up to
  // SCHEDULE_LINGER_MS for others and many share one statement and one commit.
  const scheduleWriter = createLeadScheduleWriter(db, { lingerMs: SCHEDULE_LINGER_MS });

  let order = await workspacesInServingOrder(db);
  if (options.workspaceIds) order = order.filter((w) => options.workspaceIds?.includes(w.id));
  const hasDue = new Set(order.map((w) => w.id));

  async function serveWorkspace(ws: { id: string; lastScanAt: Date | null }, share: number): Promise<void> {
    const providers = await workspaceProviders(deps, ws.id);
    if (!hasAnyProvider(providers)) {
      hasDue.delete(ws.id);
      return;
    }
    if (!(await acquireWorkspaceLease(db, ws.id, holder, leaseTtlMs))) {
      hasDue.delete(ws.id);
      return;
    }
    served.add(ws.id);
    const now = deps.clock();
    let scanned = false;
    const renew = setInterval(
      () => void renewWorkspaceLease(db, ws.id, holder, leaseTtlMs).catch(() => undefined),
      leaseTtlMs / 3,
    );
    renew.unref();
    try {
      const leads = await selectDueLeads(db, {
        workspaceId: ws.id,
        now,
        intervalMinutes: providers.reconcileIntervalMinutes,
        limit: share,
        labelSlaHours: providers.labelVerificationSlaHours,
      });
      if (leads.length < share) hasDue.delete(ws.id);
      // Inputs are read a chunk at a time, one chunk ahead of the workers: one round trip per chunk,
      // and never older than a few seconds when a lead's check uses them.
      const chunks = new Map<number, Promise<ChunkInputs>>();
      const chunkOf = (c: number): Promise<ChunkInputs> => {
        let chunk = chunks.get(c);
        if (chunk === undefined) {
          chunk = readChunk(ws.id, leads.slice(c * INPUT_CHUNK, (c + 1) * INPUT_CHUNK));
          chunk.catch(() => undefined);
          chunks.set(c, chunk);
        }
        return chunk;
      };
      const inputsOf = async (index: number) => {
        const c = Math.floor(index / INPUT_CHUNK);
        if ((c + 1) * INPUT_CHUNK < leads.length) void chunkOf(c + 1).catch(() => undefined);
        try {
          return await chunkOf(c);
        } catch {
          return null; // each lead then reads its own (and answers for a store that is down)
        }
      };
      let taken = 0;
      const queue = [...leads];
      const writing: Promise<void>[] = [];
      const check = async (leadId: string, index: number, asked: () => void): Promise<void> => {
        const t0 = Date.now();
        const chunk = await inputsOf(index);
        const lead = chunk?.inputs.get(leadId);
        const linked = chunk?.linked?.get(leadId);
        const fold = (await chunk?.folds.get(leadId)) ?? undefined;
        const r = await reconcileLead(deps, {
          workspaceId: ws.id,
          leadId,
          source: 'poller',
          onAsked: asked,
          scheduleWriter,
          ...(lead !== undefined ? { inputs: lead } : {}),
          ...(linked !== undefined ? { linked } : {}),
          ...(fold !== undefined && lead !== undefined && linked !== undefined ? { fold } : {}),
        }).finally(asked);
        slowestLeadMs = Math.max(slowestLeadMs, Date.now() - t0);
        totals.leadsChecked++;
        if (!r.ok) totals.failures++;
        else {
          totals.eventsAppended += r.value.eventsAppended;
          if (r.value.checks.some((c) => c.outcome.kind === 'failed')) totals.failures++;
        }
      };
      const worker = async () => {
        for (;;) {
          if (!mayStartLead()) return;
          const leadId = queue.shift();
          if (leadId === undefined) return;
          const index = taken++;
          leadsLeft--;
          // The slot is free once the lead's providers answered (or it ended early); its writes go on.
          let free = () => undefined as void;
          const slot = new Promise<void>((resolve) => {
            free = resolve;
          });
          const done = check(leadId, index, () => free());
          // Awaited below with the others (a store failure still fails the tick); no unhandled rejection meanwhile.
          done.catch(() => undefined);
          writing.push(done);
          await slot;
        }
      };
      await Promise.all(Array.from({ length: options.leadConcurrency ?? 4 }, worker));
      await Promise.all(writing);
      if (queue.length > 0) hasDue.add(ws.id);
      const scanDue =
        ws.lastScanAt === null ||
        now.getTime() - ws.lastScanAt.getTime() >= providers.reconcileIntervalMinutes * 60_000;
      const ahead = options.scanDaysAhead ?? 60;
      // Providers with a window scan (bookings under other emails, later changes without a webhook).
      const scanners = providerNames.flatMap((p) => {
        const scanWindow = providers.connections[p]?.scanWindow;
        return scanWindow ? [scanWindow] : [];
      });
      const stopScan = () => timeLeft() < Math.max(1000, slowestLeadMs * 2);
      if (scanners.length > 0 && scanDue && ahead > 0 && !stopScan()) {
        scanned = true;
        for (const scanWindow of scanners) {
          const scan = await scanWindow(deps, {
            workspaceId: ws.id,
            source: 'poller',
            minStartTime: new Date(now.getTime() - (options.scanDaysBack ?? 7) * DAY).toISOString(),
            maxStartTime: new Date(now.getTime() + ahead * DAY).toISOString(),
            shouldStop: stopScan,
          });
          totals.eventsAppended += scan.eventsAppended;
          if (!scan.ok) totals.failures++;
          scanned = scanned && scan.ok && scan.complete;
        }
      }
      // Ended meetings without an attendance signal (only when the workspace's attendanceReview is on).
      if (!swept.has(ws.id) && !stopScan()) {
        swept.add(ws.id);
        totals.eventsAppended += await sweepAttendanceReviews(deps, ws.id, now);
        // Reschedules whose new booking never arrived: fetched, or a red review.
        const reschedules = await sweepRescheduleConfirmations(
          deps,
          ws.id,
          now,
          rescheduleFetchers(deps, providers.connections),
          stopScan,
        );
        totals.eventsAppended += reschedules.eventsAppended;
        if (reschedules.failures > 0) totals.failures++;
      }
    } finally {
      clearInterval(renew);
      await releaseWorkspaceLease(db, ws.id, holder, { at: deps.clock(), scanned }).catch(() => undefined);
    }
  }

  // Passes: each serves every workspace that may still have due leads, with an equal share.
  for (let pass = 0; pass < 10 && mayStartLead(); pass++) {
    const round = order.filter((w) => hasDue.has(w.id));
    if (round.length === 0) break;
    const share = Math.max(1, Math.ceil(leadsLeft / round.length));
    const queue = [...round];
    const before = totals.leadsChecked;
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, async () => {
        for (let ws = queue.shift(); ws !== undefined && mayStartLead(); ws = queue.shift())
          await serveWorkspace(ws, share);
      }),
    );
    if (totals.leadsChecked === before) break;
  }

  // What is left, counted for every workspace at once (one after another, 50 workspaces were 50
  // round trips added to every tick).
  const now = deps.clock();
  const counts = await Promise.all(
    order.map(async (ws) => {
      const providers = await workspaceProviders(deps, ws.id);
      if (!hasAnyProvider(providers)) return 0;
      return countDueLeads(db, { workspaceId: ws.id, now, intervalMinutes: providers.reconcileIntervalMinutes });
    }),
  );
  const remaining = counts.reduce((n, c) => n + c, 0);
  return { workspaces: served.size, ...totals, remaining, durationMs: Date.now() - started };
}
